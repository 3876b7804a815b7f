using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Storage;
using Cairn.Storage.Projects;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// <c>filter</c>: keeps the items of an input version that match every given condition, as a new project.
/// Parameters: input (project or project@N), output, classes (any present), absent (none present), minObjects, maxObjects, name (regex).
/// </summary>
public sealed class FilterTaskKind : ITaskKind
{
    /// <inheritdoc/>
    public string Kind => "filter";

    /// <inheritdoc/>
    public string Title(JsonObject p) => $"filter {p["input"]} → {p["output"]}";

    /// <inheritdoc/>
    public string? Validate(JsonObject p, CairnStore store)
    {
        var input = p["input"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(input))
        {
            return "parameter 'input': expected <project> or <project>@<N>";
        }

        var output = p["output"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(output))
        {
            return "parameter 'output': expected the new project's name";
        }

        if (new ProjectService(store).Find(output) is not null)
        {
            return $"parameter 'output': a project named '{output}' exists already; choose another name (or delete that project)";
        }

        if (p["name"]?.GetValue<string>() is { } pattern)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                return $"parameter 'name': not a regular expression: {e.Message}";
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public Task RunAsync(TaskContext ctx)
    {
        var version = ctx.ReadInput(ctx.String("input"));
        var meta = ctx.Meta(version);
        var classes = Strings(ctx.Parameters["classes"]);
        var absent = Strings(ctx.Parameters["absent"]);
        var min = ctx.Parameters["minObjects"]?.GetValue<int>() ?? 0;
        var max = ctx.Parameters["maxObjects"]?.GetValue<int>() ?? int.MaxValue;
        var name = ctx.OptionalString("name") is { } pattern ? new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1)) : null;
        var kept = new List<NewItem>();
        long seen = 0;
        foreach (var item in ctx.Items(version))
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            seen++;
            if (seen % 64 == 0)
            {
                ctx.Report(version.Items == 0 ? 0 : (double)seen / version.Items, "filtering");
            }

            if (item.LabelCount < min || item.LabelCount > max || (name is not null && !name.IsMatch(item.Name)))
            {
                continue;
            }

            var ann = item.ParseAnnotation();
            if (classes.Count > 0 && !ann.Labels.Any(l => classes.Contains(l.ClassName)))
            {
                continue;
            }

            if (absent.Count > 0 && ann.Labels.Any(l => absent.Contains(l.ClassName)))
            {
                continue;
            }

            kept.Add(new NewItem(item.Dataset, item.Name, item.ImageId, item.ImageSize, ann));
        }

        ctx.Log($"kept {kept.Count} of {seen} items");
        ctx.Report(0.95, "writing output");
        var (project, _) = ctx.CreateOutputProject(ctx.String("output"), meta, kept, $"Filtered from {ctx.String("input")}");
        ctx.Result = new JsonObject { ["project"] = project.Name, ["kept"] = kept.Count, ["seen"] = seen };
        return Task.CompletedTask;
    }

    private static HashSet<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) : [];
}
