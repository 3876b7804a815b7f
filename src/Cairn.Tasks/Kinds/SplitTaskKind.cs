using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Core.Ids;
using Cairn.Operations;
using Cairn.Operations.Split;
using Cairn.Storage;
using Cairn.Storage.Projects;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// <c>split</c>: divides the items of the input version by ratio or count, randomly or stratified by class, into datasets
/// (default) or train/val/test tags, seeded. Parameters: input, output, parts ([{"name":"train","ratio":0.8},…] or
/// counts), seed, stratified, target ("datasets" | "tags"), separate (true: one project per part, named output-part).
/// </summary>
public sealed class SplitTaskKind : ITaskKind
{
    /// <inheritdoc/>
    public string Kind => "split";

    /// <inheritdoc/>
    public string Title(JsonObject p) => $"split {p["input"]} → {p["output"]}";

    /// <inheritdoc/>
    public string? Validate(JsonObject p, CairnStore store)
    {
        if (KindParameters.Input(p) is { } problem)
        {
            return problem;
        }

        var output = p["output"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(output))
        {
            return "parameter 'output': expected the new project's name";
        }

        List<SplitPart> parts;
        try
        {
            parts = Parts(p);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return $"parameter 'parts': expected [{{\"name\":\"train\",\"ratio\":0.8}},{{\"name\":\"val\",\"ratio\":0.2}}] (or \"count\" instead of \"ratio\"): {e.Message}";
        }

        if (parts.Count < 2 || parts.Any(x => string.IsNullOrWhiteSpace(x.Name) || (x.Ratio is null && x.Count is null)))
        {
            return "parameter 'parts': expected at least two parts, each with a name and a ratio or a count";
        }

        var projects = new ProjectService(store);
        var names = p["separate"]?.GetValue<bool>() == true ? parts.Select(x => $"{output}-{x.Name}").ToList() : [output];
        return names.FirstOrDefault(n => projects.Find(n) is not null) is { } taken ? $"parameter 'output': a project named '{taken}' exists already; choose another name (or delete that project)" : null;
    }

    private static List<SplitPart> Parts(JsonObject p) =>
        p["parts"] is JsonArray a
            ? a.Select(x => new SplitPart(x!["name"]!.GetValue<string>(), x["ratio"]?.GetValue<double>(), x["count"]?.GetValue<int>())).ToList()
            : [new SplitPart("train", 0.8), new SplitPart("val", 0.2)];

    /// <inheritdoc/>
    public Task RunAsync(TaskContext ctx)
    {
        var version = ctx.ReadInput(ctx.String("input"));
        var meta = ctx.Meta(version);
        var spec = new SplitSpec
        {
            Seed = (ulong)(ctx.Parameters["seed"]?.GetValue<long>() ?? 1),
            Parts = Parts(ctx.Parameters),
            Stratified = ctx.Parameters["stratified"]?.GetValue<bool>() ?? false,
            Target = ctx.OptionalString("target") == "tags" ? SplitTarget.Tags : SplitTarget.Datasets,
        };
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
        var output = ctx.String("output");
        var counts = new JsonObject();
        foreach (var (part, n) in result.Counts)
        {
            counts[part] = n;
        }

        if (ctx.Parameters["separate"]?.GetValue<bool>() == true && spec.Target == SplitTarget.Datasets)
        {
            foreach (var part in spec.Parts)
            {
                var items = result.Items.Where(r => r.Dataset == part.Name || r.Dataset.StartsWith(part.Name + "/", StringComparison.Ordinal)).Select(ToNew).ToList();
                var (project, v) = ctx.CreateOutputProject($"{output}-{part.Name}", meta, items, $"The {part.Name} part of {version.Number} split");
                ctx.Log($"{project.Name}: {v.Items} items");
            }
        }
        else
        {
            ctx.CreateOutputProject(output, meta, result.Items.Select(ToNew).ToList(), $"Split of version {version.Number}");
        }

        ctx.Result = new JsonObject { ["counts"] = counts, ["unassigned"] = result.Unassigned };
        ctx.Log("split: " + counts.ToJsonString());
        return Task.CompletedTask;
    }
}
