using System.Text.Json.Nodes;
using Cairn.Core.Ids;
using Cairn.Operations;
using Cairn.Operations.Merge;
using Cairn.Storage;
using Cairn.Storage.Projects;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// <c>merge</c>: several projects or versions into one new project. Classes of the same name merge; renames resolve
/// conflicts on request; images with the same content are detected and reported (and skipped with skipDuplicates).
/// Parameters: inputs (array of project or project@N), output, renames ([{"source","from","to"}]), datasetPerSource,
/// skipDuplicates.
/// </summary>
public sealed class MergeTaskKind : ITaskKind
{
    /// <inheritdoc/>
    public string Kind => "merge";

    /// <inheritdoc/>
    public string Title(JsonObject p) => $"merge {string.Join(" + ", (p["inputs"] as JsonArray ?? []).Select(x => x?.ToString()))} → {p["output"]}";

    /// <inheritdoc/>
    public string? Validate(JsonObject p, CairnStore store)
    {
        if (p["inputs"] is not JsonArray { Count: >= 2 } inputs || inputs.Any(x => string.IsNullOrWhiteSpace(x?.ToString())))
        {
            return "parameter 'inputs': expected an array of at least two projects or versions, e.g. [\"a@1\",\"b\"]";
        }

        var output = p["output"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(output))
        {
            return "parameter 'output': expected the new project's name";
        }

        return new ProjectService(store).Find(output) is not null ? $"parameter 'output': a project named '{output}' exists already; choose another name (or delete that project)" : null;
    }

    /// <inheritdoc/>
    public Task RunAsync(TaskContext ctx)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var sources = new List<MergeSource>();
        foreach (var spec in (JsonArray)ctx.Parameters["inputs"]!)
        {
            var version = ctx.ReadInput(spec!.ToString());
            var records = new List<ItemRecord>();
            foreach (var item in ctx.Items(version))
            {
                sizes[item.ImageId.ToString()] = item.ImageSize;
                records.Add(new ItemRecord(item.Dataset, item.Name, item.ImageId.ToString(), item.Width, item.Height, item.ParseAnnotation()));
            }

            sources.Add(new MergeSource(spec.ToString().Split('@')[0], ctx.Meta(version), records));
        }

        var options = new MergeOptions
        {
            Renames = (ctx.Parameters["renames"] as JsonArray ?? []).Select(r => new ClassRename(r!["source"]!.GetValue<string>(), r["from"]!.GetValue<string>(), r["to"]!.GetValue<string>())).ToList(),
            DatasetPerSource = ctx.Parameters["datasetPerSource"]?.GetValue<bool>() ?? false,
            SkipDuplicates = ctx.Parameters["skipDuplicates"]?.GetValue<bool>() ?? false,
        };
        var result = Merger.Merge(sources, options);
        foreach (var c in result.Conflicts)
        {
            ctx.Log($"{c.Kind} conflict on '{c.Name}' from {c.Source}: {c.Detail} → {c.Resolution}", "warning");
        }

        foreach (var d in result.Duplicates)
        {
            ctx.Log($"duplicate image {d.ImageId[..12]}: {d.Source}/{d.Item} is {d.FirstSource}/{d.FirstItem}{(d.Skipped ? " (skipped)" : string.Empty)}", "warning");
        }

        var items = result.Items.Select(r => new NewItem(r.Dataset, r.Name, ContentId.Parse(r.ImageId), sizes[r.ImageId], r.Annotation)).ToList();
        var (project, output) = ctx.CreateOutputProject(ctx.String("output"), result.Meta, items, $"Merge of {sources.Count} sources");
        ctx.Result = new JsonObject
        {
            ["project"] = project.Name,
            ["items"] = output.Items,
            ["conflicts"] = result.Conflicts.Count,
            ["duplicates"] = result.Duplicates.Count,
            ["renamedItems"] = result.RenamedItems.Count,
        };
        return Task.CompletedTask;
    }
}
