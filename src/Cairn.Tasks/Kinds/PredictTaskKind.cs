using System.Text.Json.Nodes;
using Cairn.Inference;
using Cairn.Operations.Benchmarks;
using Cairn.Operations.Models;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// <c>predict</c>: applies a registered model to a project version and writes the predictions (boxes with confidence)
/// as a new project over the same images. Parameters: model, input, output, conf (default 0.25), iou (default 0.7), batch.
/// </summary>
public sealed class PredictTaskKind : ITaskKind
{
    /// <inheritdoc/>
    public string Kind => "predict";

    /// <inheritdoc/>
    public string Title(JsonObject p) => $"predict {p["model"]} on {p["input"]} → {p["output"]}";

    /// <inheritdoc/>
    public string? Validate(JsonObject p, CairnStore store)
    {
        var model = p["model"]?.ToString();
        if (string.IsNullOrWhiteSpace(model) || new ModelRegistry(store).Find(model) is null)
        {
            return $"parameter 'model': no registered model '{model}'. Register one with `cairn model add FILE.onnx --name NAME`.";
        }

        if (string.IsNullOrWhiteSpace(p["input"]?.GetValue<string>()))
        {
            return "parameter 'input': expected <project> or <project>@<N>";
        }

        var output = p["output"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(output))
        {
            return "parameter 'output': expected the new project's name";
        }

        return new ProjectService(store).Find(output) is not null ? $"parameter 'output': a project named '{output}' exists already; choose another name (or delete that project)" : null;
    }

    /// <inheritdoc/>
    public async Task RunAsync(TaskContext ctx)
    {
        var model = new ModelRegistry(ctx.Store).Find(ctx.Parameters["model"]!.ToString())!;
        ctx.Records.AddRelation(ctx.TaskId, "input", new NodeRef(NodeKinds.Model, model.Id, Title: model.Name));
        var version = ctx.ReadInput(ctx.String("input"));
        var detection = DetectionOptions.Prediction with
        {
            ConfidenceThreshold = (float)(ctx.Parameters["conf"]?.GetValue<double>() ?? DetectionOptions.Prediction.ConfidenceThreshold),
            IouThreshold = (float)(ctx.Parameters["iou"]?.GetValue<double>() ?? DetectionOptions.Prediction.IouThreshold),
        };
        var progress = new Progress<BenchmarkProgress>(p => ctx.Report(p.Total == 0 ? 0 : 0.95 * p.Done / p.Total, p.Stage));
        var project = await new PredictRunner(ctx.Store).RunAsync(model, version, ctx.String("output"), detection, ctx.Parameters["batch"]?.GetValue<int>() ?? 8, ctx.TaskId, progress, ctx.Cancellation);
        var output = ctx.AdoptOutputProject(project);
        ctx.Result = new JsonObject { ["project"] = project.Name, ["labels"] = output.Labels, ["items"] = output.Items };
        ctx.Report(1, "done");
    }
}
