using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Evaluation.Coco;
using Cairn.Inference;
using Cairn.Operations.Benchmarks;
using Cairn.Operations.Models;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Cairn.Core.Serialization;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// The <c>benchmark</c> kind's parameters: the model (name or id), the version, bbox or segm, the candidate threshold
/// (default 0.001), the NMS IoU (default 0.7), the batch (default 8), speed-test iterations (default 20; 0 skips it), a
/// title, and <paramref name="Classes"/>, a <see cref="ClassMapping"/>: the dataset class each model class means.
/// </summary>
public sealed record BenchmarkParameters(
    [property: Description("the name or id of a registered model")] string Model,
    [property: Description("<project>@<N> (the version to benchmark on)")] string Input,
    IouType IouType = IouType.Bbox,
    double? Conf = null,
    double? Iou = null,
    int Batch = 8,
    int SpeedIterations = 20,
    string? Title = null,
    JsonNode? Classes = null);

/// <summary>
/// <c>benchmark</c>: a registered model evaluated on a project version: inference, COCO metrics, diagnostics, speed test,
/// report and metrics.json as output files, an evaluation node linked to the model and the version (<see cref="BenchmarkParameters"/>).
/// A benchmark where no model class is a class of the version is refused (its mAP would be 0 for a reason that is not the
/// model's accuracy); a partial match runs with a warning naming the unmatched classes.
/// </summary>
public sealed class BenchmarkTaskKind(ModelRegistry models, ProjectService projects, VersionService versions, BenchmarkRunner runner) : TaskKind<BenchmarkParameters>
{
    /// <inheritdoc/>
    public override string Kind => "benchmark";

    /// <inheritdoc/>
    protected override string Title(BenchmarkParameters p) => p.Title ?? $"benchmark {p.Model} on {p.Input}";

    /// <inheritdoc/>
    protected override string? Check(BenchmarkParameters p) => models.Find(p.Model) is null
        ? $"parameter 'model': no registered model '{p.Model}'. Register one with `cairn model add FILE.onnx --name NAME`."
        : ClassProblem(p).Refusal;

    // The model's classes (after the mapping) against the input's: a refusal when none matches, a warning when some do
    // not. An input that does not resolve is left to ReadInput's message at run time.
    private (string? Refusal, string? Warning, IReadOnlyList<string> Classes) ClassProblem(BenchmarkParameters p)
    {
        var model = models.Find(p.Model)!;
        IReadOnlyList<string> classes;
        try
        {
            classes = ClassMapping.Apply(p.Classes, ModelRegistry.Classes(model));
        }
        catch (ModelRegistryException e)
        {
            return ($"parameter {e.Message}", null, []);
        }

        if (!VersionSpec.TryParse(p.Input, out var parsed, out _) || projects.Find(parsed.Project) is not { } project)
        {
            return (null, null, classes);
        }

        var metaJson = parsed.Number is { } n ? versions.Get(project.Id, n) is { } v ? versions.MetaJson(v) : null : project.MetaJson;
        if (metaJson is null)
        {
            return (null, null, classes);
        }

        var data = ProjectMetaJson.Parse(metaJson).Classes.Select(c => c.Name).ToList();
        var unmatched = ClassMapping.Missing(classes, data);
        var lists = $"model '{model.Name}' has {string.Join(", ", classes)}; {p.Input} has {(data.Count == 0 ? "no classes" : string.Join(", ", data))}";
        if (unmatched.Count == classes.Count)
        {
            return ($"no class of the model matches a class of the ground truth ({lists}). Map the model's classes to the data's with --classes a,b,c or --classes-file FILE (parameter 'classes'), or benchmark on data of the model's classes", null, classes);
        }

        var missed = ClassMapping.Missing(data, classes);
        return unmatched.Count == 0 && missed.Count == 0 ? (null, null, classes)
            : (null, $"classes matched in part: model classes without a ground-truth class: {(unmatched.Count == 0 ? "none" : string.Join(", ", unmatched))} (their detections count as false positives); ground-truth classes the model does not predict: {(missed.Count == 0 ? "none" : string.Join(", ", missed))} (AP -1 or 0)", classes);
    }

    /// <inheritdoc/>
    protected override async Task RunAsync(TaskContext ctx, BenchmarkParameters p)
    {
        var model = models.Find(p.Model)!;
        ctx.Records.AddRelation(ctx.TaskId, "input", new NodeRef(NodeKinds.Model, model.Id, Title: model.Name));
        var version = ctx.ReadInput(p.Input);
        var project = projects.Get(version.ProjectId)?.Name ?? $"project {version.ProjectId}";
        var (refusal, warning, classes) = ClassProblem(p);
        if (refusal is not null)
        {
            throw new TaskValidationException(refusal);
        }

        if (warning is not null)
        {
            ctx.Log(warning, "warning");
        }

        var options = new BenchmarkOptions
        {
            IouType = p.IouType,
            BatchSize = p.Batch,
            Detection = DetectionOptions.Validation with
            {
                ConfidenceThreshold = (float)(p.Conf ?? DetectionOptions.Validation.ConfidenceThreshold),
                IouThreshold = (float)(p.Iou ?? DetectionOptions.Validation.IouThreshold),
            },
            SpeedTest = p.SpeedIterations <= 0 ? null : new SpeedTestOptions { Iterations = p.SpeedIterations, WarmupRuns = Math.Min(3, p.SpeedIterations) },
            Title = p.Title,
            ClassNames = classes,
        };
        ctx.Log($"benchmarking {model.Name} on {project}@{version.Number} ({version.Items} images), {options.IouType}, conf ≥ {options.Detection.ConfidenceThreshold}, NMS IoU {options.Detection.IouThreshold}");
        var progress = new Progress<BenchmarkProgress>(x =>
        {
            var fraction = x.Stage switch
            {
                "inference" => x.Total == 0 ? 0 : 0.7 * x.Done / x.Total,
                "evaluating" => 0.75,
                _ => 0.85,
            };
            ctx.Report(fraction, x.Stage);
        });
        var result = await runner.RunAsync(model, version, project, options, ctx.TaskId, progress, ctx.Cancellation);
        ctx.Records.AddRelation(ctx.TaskId, "output", new NodeRef(NodeKinds.Evaluation, result.Evaluation.Id, Title: result.Evaluation.Title));
        ctx.Records.AddRelation(ctx.TaskId, "output", new NodeRef(NodeKinds.File, result.Report.Id, result.Report.Path, "report.html"));
        ctx.Records.AddRelation(ctx.TaskId, "output", new NodeRef(NodeKinds.File, result.MetricsFile.Id, result.MetricsFile.Path, "metrics.json"));
        var s = result.Metrics.Stats;
        ctx.Log(string.Create(CultureInfo.InvariantCulture, $"mAP@[.5:.95] {s[0]:0.0000}, mAP@0.5 {s[1]:0.0000}, mAP@0.75 {s[2]:0.0000}"));
        if (result.Speed is { } speed)
        {
            foreach (var b in speed.Batches)
            {
                ctx.Log(string.Create(CultureInfo.InvariantCulture, $"speed, batch {b.BatchSize}: {b.ImagesPerSecond:0.0} images/s (pre {b.Preprocess.MeanMs:0.00} ms, inference {b.Inference.MeanMs:0.00} ms, post {b.Postprocess.MeanMs:0.00} ms per batch)"));
            }
        }

        ctx.Result = new JsonObject
        {
            ["evaluationId"] = result.Evaluation.Id,
            ["map"] = s[0],
            ["map50"] = s[1],
            ["map75"] = s[2],
            ["report"] = $"/evaluations/{result.Evaluation.Id}",
        };
        if (warning is not null)
        {
            ctx.Result["warnings"] = new JsonArray(warning);
        }

        ctx.Report(1, "done");
    }
}
