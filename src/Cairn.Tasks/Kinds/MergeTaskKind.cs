using System.ComponentModel;
using System.Text.Json.Nodes;
using Cairn.Core.Ids;
using Cairn.Operations;
using Cairn.Operations.Merge;
using Cairn.Storage.Projects;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// The <c>merge</c> kind's parameters: the inputs (project, project@N, or either with :dataset to take one dataset and its
/// sub-datasets, e.g. "coco@2:train"), class renames, one dataset per source or every item into <paramref name="Dataset"/>,
/// and whether duplicate images are skipped.
/// </summary>
public sealed record MergeParameters(
    [property: Description(MergeParameters.InputsExpected)] IReadOnlyList<string> Inputs,
    [property: Description(TaskParameters.NewProject)] string Output,
    IReadOnlyList<ClassRename>? Renames = null,
    bool DatasetPerSource = false,
    string? Dataset = null,
    bool SkipDuplicates = false) : IValidatableParameters
{
    private const string InputsExpected = "an array of at least two projects or versions, e.g. [\"a@1\",\"b\"]";

    /// <inheritdoc/>
    public string? Validate() => Inputs.Count < 2 || Inputs.Any(string.IsNullOrWhiteSpace) ? $"parameter 'inputs': expected {InputsExpected}" : null;
}

/// <summary>
/// <c>merge</c>: several projects or versions into one new project (<see cref="MergeParameters"/>). Classes of the same
/// name merge; renames resolve conflicts on request; images with the same content are detected and reported.
/// </summary>
public sealed class MergeTaskKind(ProjectService projects) : TaskKind<MergeParameters>
{
    /// <inheritdoc/>
    public override string Kind => "merge";

    /// <inheritdoc/>
    protected override string Title(MergeParameters p) => $"merge {string.Join(" + ", p.Inputs)} → {p.Output}";

    /// <inheritdoc/>
    protected override string? Check(MergeParameters p) => Taken(projects, p.Output);

    /// <inheritdoc/>
    protected override Task RunAsync(TaskContext ctx, MergeParameters p)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var sources = new List<MergeSource>();
        foreach (var node in p.Inputs)
        {
            var (spec, dataset) = SplitDataset(node);
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
            Renames = p.Renames ?? [],
            DatasetPerSource = p.DatasetPerSource,
            IntoDataset = string.IsNullOrWhiteSpace(p.Dataset) ? null : p.Dataset.Trim('/'),
            SkipDuplicates = p.SkipDuplicates,
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
        var (project, output) = ctx.CreateOutputProject(p.Output, result.Meta, items, $"Merge of {sources.Count} sources");
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
