using System.Text.Json.Nodes;
using Cairn.Operations.Annotations;
using Cairn.Storage;
using Cairn.Storage.Projects;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// <c>transform</c>: annotation transforms over the input version — rename, merge and drop classes, polygon/mask/box
/// conversion, drop labels by area or confidence, add/remove/rename tags (docs/operations.md) — as a new project over
/// the same images. Parameters: input, output, ops (the array of transform steps).
/// </summary>
public sealed class TransformTaskKind : ITaskKind
{
    /// <inheritdoc/>
    public string Kind => "transform";

    /// <inheritdoc/>
    public string Title(JsonObject p) => $"transform {p["input"]} → {p["output"]}";

    /// <inheritdoc/>
    public string? Validate(JsonObject p, CairnStore store)
    {
        if ((KindParameters.Input(p) ?? KindParameters.NewOutput(p, store)) is { } problem)
        {
            return problem;
        }

        if (p["ops"] is not JsonArray)
        {
            return "parameter 'ops': expected an array of steps such as [{\"op\":\"renameClass\",\"from\":\"auto\",\"to\":\"car\"}] (see docs/operations.md)";
        }

        return null;
    }

    /// <inheritdoc/>
    public Task RunAsync(TaskContext ctx)
    {
        var version = ctx.ReadInput(ctx.String("input"));
        var transformer = AnnotationTransformer.FromJson("{\"ops\":" + ctx.Parameters["ops"]!.ToJsonString() + "}", ctx.Meta(version), "parameter 'ops'");
        var items = new List<NewItem>();
        long seen = 0, before = 0, after = 0;
        foreach (var item in ctx.Items(version))
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            var ann = item.ParseAnnotation();
            var transformed = transformer.Apply(ann);
            before += ann.Labels.Count;
            after += transformed.Labels.Count;
            items.Add(new NewItem(item.Dataset, item.Name, item.ImageId, item.ImageSize, transformed));
            if (++seen % 128 == 0)
            {
                ctx.Report(0.9 * seen / Math.Max(1, version.Items), "transforming");
            }
        }

        var (project, output) = ctx.CreateOutputProject(ctx.String("output"), transformer.Meta, items, $"Annotations transformed from version {version.Number}");
        ctx.Log($"labels {before} → {after}; classes {string.Join(", ", transformer.Meta.Classes.Select(c => c.Name))}");
        ctx.Result = new JsonObject { ["project"] = project.Name, ["version"] = output.Number, ["labelsBefore"] = before, ["labelsAfter"] = after };
        return Task.CompletedTask;
    }
}
