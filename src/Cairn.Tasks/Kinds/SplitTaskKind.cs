using System.ComponentModel;
using System.Text.Json.Nodes;
using Cairn.Core.Ids;
using Cairn.Operations;
using Cairn.Operations.Split;
using Cairn.Storage.Projects;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// The <c>split</c> kind's parameters: parts by ratio or count (default train 0.8, val 0.2), seeded, optionally stratified
/// by class, into datasets or tags; <paramref name="Separate"/> writes one project per part, named output-part.
/// </summary>
public sealed record SplitParameters(
    [property: Description(TaskParameters.InputSpec)] string Input,
    [property: Description(TaskParameters.NewProject)] string Output,
    [property: Description("[{\"name\":\"train\",\"ratio\":0.8},{\"name\":\"val\",\"ratio\":0.2}] (or \"count\" instead of \"ratio\")")] IReadOnlyList<SplitPart>? Parts = null,
    ulong Seed = 1,
    bool Stratified = false,
    SplitTarget Target = SplitTarget.Datasets,
    bool Separate = false) : IValidatableParameters
{
    /// <summary>The parts, the default ones when none are given.</summary>
    public IReadOnlyList<SplitPart> PartsOrDefault => Parts ?? [new SplitPart("train", 0.8), new SplitPart("val", 0.2)];

    /// <summary>The projects the split writes.</summary>
    public IEnumerable<string> Outputs => Separate && Target == SplitTarget.Datasets ? PartsOrDefault.Select(x => $"{Output}-{x.Name}") : [Output];

    /// <inheritdoc/>
    public string? Validate() =>
        PartsOrDefault.Count < 2 || PartsOrDefault.Any(x => string.IsNullOrWhiteSpace(x.Name) || (x.Ratio is null && x.Count is null))
            ? "parameter 'parts': expected at least two parts, each with a name and a ratio or a count"
            : null;
}

/// <summary><c>split</c>: divides the items of the input version by ratio or count, randomly or stratified by class (<see cref="SplitParameters"/>).</summary>
public sealed class SplitTaskKind(ProjectService projects) : TaskKind<SplitParameters>
{
    /// <inheritdoc/>
    public override string Kind => "split";

    /// <inheritdoc/>
    protected override string Title(SplitParameters p) => $"split {p.Input} → {p.Output}";

    /// <inheritdoc/>
    protected override string? Check(SplitParameters p) => p.Outputs.Select(n => Taken(projects, n)).FirstOrDefault(x => x is not null);

    /// <inheritdoc/>
    protected override Task RunAsync(TaskContext ctx, SplitParameters p)
    {
        var version = ctx.ReadInput(p.Input);
        var meta = ctx.Meta(version);
        var spec = new SplitSpec { Seed = p.Seed, Parts = p.PartsOrDefault, Stratified = p.Stratified, Target = p.Target };
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var records = new List<ItemRecord>();
        foreach (var item in ctx.Items(version))
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            sizes[item.ImageId.ToString()] = item.ImageSize;
            records.Add(new ItemRecord(item.Dataset, item.Name, item.ImageId.ToString(), item.Width, item.Height, item.ParseAnnotation()));
        }

        ctx.Report(0.3, "splitting");
        var result = Splitter.Split(records, spec);
        NewItem ToNew(ItemRecord r) => new(r.Dataset, r.Name, ContentId.Parse(r.ImageId), sizes[r.ImageId], r.Annotation);
        var counts = new JsonObject(result.Counts.Select(c => KeyValuePair.Create<string, JsonNode?>(c.Key, c.Value)));
        if (p.Separate && spec.Target == SplitTarget.Datasets)
        {
            foreach (var part in spec.Parts)
            {
                var items = result.Items.Where(r => r.Dataset == part.Name || r.Dataset.StartsWith(part.Name + "/", StringComparison.Ordinal)).Select(ToNew).ToList();
                var (project, v) = ctx.CreateOutputProject($"{p.Output}-{part.Name}", meta, items, $"The {part.Name} part of {version.Number} split");
                ctx.Log($"{project.Name}: {v.Items} items");
            }
        }
        else
        {
            ctx.CreateOutputProject(p.Output, meta, result.Items.Select(ToNew).ToList(), $"Split of version {version.Number}");
        }

        ctx.Result = new JsonObject { ["counts"] = counts, ["unassigned"] = result.Unassigned };
        ctx.Log("split: " + counts.ToJsonString());
        return Task.CompletedTask;
    }
}
