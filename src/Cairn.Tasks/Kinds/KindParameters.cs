using System.Text.Json.Nodes;
using Cairn.Storage;
using Cairn.Storage.Projects;

namespace Cairn.Tasks.Kinds;

/// <summary>Checks shared by the operation kinds: an input version spec and the name of a project that must not exist yet.</summary>
internal static class KindParameters
{
    /// <summary>Null when 'input' names a project or version; else what is wrong.</summary>
    public static string? Input(JsonObject p) =>
        string.IsNullOrWhiteSpace(p["input"]?.GetValue<string>()) ? "parameter 'input': expected <project> or <project>@<N>" : null;

    /// <summary>Null when 'output' names a project that does not exist yet; else what is wrong.</summary>
    public static string? NewOutput(JsonObject p, CairnStore store)
    {
        var output = p["output"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(output))
        {
            return "parameter 'output': expected the new project's name";
        }

        return new ProjectService(store).Find(output) is not null ? $"parameter 'output': a project named '{output}' exists already" : null;
    }
}
