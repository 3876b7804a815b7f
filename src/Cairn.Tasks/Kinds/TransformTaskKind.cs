using System.ComponentModel;
using System.Text.Json.Nodes;
using Cairn.Operations.Annotations;
using Cairn.Storage.Projects;

namespace Cairn.Tasks.Kinds;

/// <summary>The <c>transform</c> kind's parameters: the array of transform steps (docs/operations.md).</summary>
public sealed record TransformParameters(
    [property: Description(TaskParameters.InputSpec)] string Input,
    [property: Description(TaskParameters.NewProject)] string Output,
    [property: Description("an array of steps such as [{\"op\":\"renameClass\",\"from\":\"auto\",\"to\":\"car\"}] (see docs/operations.md)")] JsonArray Ops);

/// <summary>
/// <c>transform</c>: annotation transforms over the input version — rename, merge and drop classes, polygon/mask/box
/// conversion, drop labels by area or confidence, add/remove/rename tags — as a new project over the same images.
/// </summary>
public sealed class TransformTaskKind(ProjectService projects) : TaskKind<TransformParameters>
{
    /// <inheritdoc/>
    public override string Kind => "transform";

    /// <inheritdoc/>
    protected override string Title(TransformParameters p) => $"transform {p.Input} → {p.Output}";

    /// <inheritdoc/>
    protected override string? Check(TransformParameters p) => Taken(projects, p.Output);

    /// <inheritdoc/>
    protected override Task RunAsync(TaskContext ctx, TransformParameters p)
    {
        var version = ctx.ReadInput(p.Input);
        var transformer = AnnotationTransformer.FromJson("{\"ops\":" + p.Ops.ToJsonString() + "}", ctx.Meta(version), "parameter 'ops'");
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

        var (project, output) = ctx.CreateOutputProject(p.Output, transformer.Meta, items, $"Annotations transformed from version {version.Number}");
        ctx.Log($"labels {before} → {after}; classes {string.Join(", ", transformer.Meta.Classes.Select(c => c.Name))}");
        ctx.Result = new JsonObject { ["project"] = project.Name, ["version"] = output.Number, ["labelsBefore"] = before, ["labelsAfter"] = after };
        return Task.CompletedTask;
    }
}
