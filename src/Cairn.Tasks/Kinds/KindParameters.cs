using System.Text.Json.Nodes;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.Storage.Tasks;

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

        return new ProjectService(store).Find(output) is not null ? $"parameter 'output': a project named '{output}' exists already; choose another name (or delete that project)" : null;
    }

    /// <summary>The whole number in parameter <paramref name="name"/>, or <paramref name="fallback"/> when it is absent.</summary>
    /// <exception cref="TaskValidationException">The parameter is not a whole number.</exception>
    public static int Int(JsonObject p, string name, int fallback)
    {
        var node = p[name];
        if (node is null)
        {
            return fallback;
        }

        return Number(node) is { } d && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue
            ? (int)d
            : throw new TaskValidationException($"parameter '{name}': expected a whole number, got {node.ToJsonString()}");
    }

    /// <summary>The number in parameter <paramref name="name"/>, or <paramref name="fallback"/> when it is absent.</summary>
    /// <exception cref="TaskValidationException">The parameter is not a number.</exception>
    public static double Double(JsonObject p, string name, double fallback)
    {
        var node = p[name];
        if (node is null)
        {
            return fallback;
        }

        return Number(node) ?? throw new TaskValidationException($"parameter '{name}': expected a number, got {node.ToJsonString()}");
    }

    // Any JSON number, whichever .NET type holds it (parsed JSON or a value set from code).
    private static double? Number(JsonNode node) =>
        node.GetValueKind() == System.Text.Json.JsonValueKind.Number
        && double.TryParse(node.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
        && double.IsFinite(d) ? d : null;
}
