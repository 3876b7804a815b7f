using System.Text.Json.Nodes;
using Cairn.Core.Ids;
using Cairn.Operations;
using Cairn.Operations.Merge;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// <c>merge</c>: several projects or versions into one new project. Classes of the same name merge; renames resolve
/// conflicts on request; images with the same content are detected and reported (and skipped with skipDuplicates).
/// Parameters: inputs (array of project, project@N, or either with :dataset to take one dataset and its sub-datasets,
/// e.g. "coco@2:train"), output, renames ([{"source","from","to"}]), datasetPerSource, dataset (put every item into this
/// one dataset), skipDuplicates.
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
        foreach (var node in (JsonArray)ctx.Parameters["inputs"]!)
        {
            var (spec, dataset) = SplitDataset(node!.ToString());
            var version = ctx.ReadInput(spec);
            var records = new List<ItemRecord>();
            var datasets = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var item in ctx.Items(version))
            {
                datasets.Add(item.Dataset);
                if (dataset is not null && item.Dataset != dataset && !item.Dataset.StartsWith(dataset + "/", StringComparison.Ordinal))
                {
                    continue;
                }

                sizes[item.ImageId.ToString()] = item.ImageSize;
                records.Add(new ItemRecord(item.Dataset, item.Name, item.ImageId.ToString(), item.Width, item.Height, item.ParseAnnotation()));
            }

            if (dataset is not null && records.Count == 0)
            {
                throw new TaskValidationException($"input '{node}': {spec} has no dataset '{dataset}' (it has {string.Join(", ", datasets)}); name one of those after the colon");
            }

            sources.Add(new MergeSource(spec.Split('@')[0], ctx.Meta(version), records));
        }

        var options = new MergeOptions
        {
            Renames = (ctx.Parameters["renames"] as JsonArray ?? []).Select(r => new ClassRename(r!["source"]!.GetValue<string>(), r["from"]!.GetValue<string>(), r["to"]!.GetValue<string>())).ToList(),
            DatasetPerSource = ctx.Parameters["datasetPerSource"]?.GetValue<bool>() ?? false,
            IntoDataset = string.IsNullOrWhiteSpace(ctx.OptionalString("dataset")) ? null : ctx.OptionalString("dataset")!.Trim('/'),
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

    // "project@N:dataset" → ("project@N", "dataset"); no colon → (spec, null).
    private static (string Spec, string? Dataset) SplitDataset(string input)
    {
        var colon = input.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (input, null) : (input[..colon], input[(colon + 1)..].Trim('/') is { Length: > 0 } d ? d : null);
    }
}
