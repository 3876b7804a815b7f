using System.ComponentModel;
using System.Text.Json.Nodes;
using Cairn.Inference;
using Cairn.Operations.Benchmarks;
using Cairn.Operations.Models;
using Cairn.Storage.Projects;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Kinds;

/// <summary>The <c>predict</c> kind's parameters: the model (name or id), thresholds (<see cref="DetectionOptions.Prediction"/> by default) and batch size.</summary>
public sealed record PredictParameters(
    [property: Description("the name or id of a registered model")] string Model,
    [property: Description(TaskParameters.InputSpec)] string Input,
    [property: Description(TaskParameters.NewProject)] string Output,
    double? Conf = null,
    double? Iou = null,
    int Batch = 8);

/// <summary>
/// <c>predict</c>: applies a registered model to a project version and writes the predictions (boxes with confidence)
/// as a new project over the same images (<see cref="PredictParameters"/>).
/// </summary>
public sealed class PredictTaskKind(ModelRegistry models, ProjectService projects, PredictRunner runner) : TaskKind<PredictParameters>
{
    /// <inheritdoc/>
    public override string Kind => "predict";

    /// <inheritdoc/>
    protected override string Title(PredictParameters p) => $"predict {p.Model} on {p.Input} → {p.Output}";

    /// <inheritdoc/>
    protected override string? Check(PredictParameters p) => models.Find(p.Model) is null
        ? $"parameter 'model': no registered model '{p.Model}'. Register one with `cairn model add FILE.onnx --name NAME`."
        : Taken(projects, p.Output);

    /// <inheritdoc/>
    protected override async Task RunAsync(TaskContext ctx, PredictParameters p)
    {
        var model = models.Find(p.Model)!;
        ctx.Records.AddRelation(ctx.TaskId, "input", new NodeRef(NodeKinds.Model, model.Id, Title: model.Name));
        var version = ctx.ReadInput(p.Input);
        var detection = DetectionOptions.Prediction with
        {
            ConfidenceThreshold = (float)(p.Conf ?? DetectionOptions.Prediction.ConfidenceThreshold),
            IouThreshold = (float)(p.Iou ?? DetectionOptions.Prediction.IouThreshold),
        };
        var progress = new Progress<BenchmarkProgress>(x => ctx.Report(x.Total == 0 ? 0 : 0.95 * x.Done / x.Total, x.Stage));
        var project = await runner.RunAsync(model, version, p.Output, detection, p.Batch, ctx.TaskId, progress, ctx.Cancellation);
        var output = ctx.AdoptOutputProject(project);
        ctx.Result = new JsonObject { ["project"] = project.Name, ["labels"] = output.Labels, ["items"] = output.Items };
        ctx.Report(1, "done");
    }
}
