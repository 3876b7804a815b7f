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
/// <c>benchmark</c>: a registered model evaluated on a project version: inference, COCO metrics, diagnostics, speed test,
/// report and metrics.json as output files, an evaluation node linked to the model and the version.
/// Parameters: model, input (project or project@N), iouType (bbox|segm), conf (candidate threshold, default 0.001),
/// iou (NMS IoU, default 0.7), batch (default 8), speedIterations (default 20; 0 skips the speed test), title, classes
/// (a <see cref="ClassMapping"/>: the dataset class each model class means). A benchmark where no model class is a
/// class of the version is refused (its mAP would be 0 for a reason that is not the model's accuracy); a partial match
/// runs with a warning naming the unmatched classes.
/// </summary>
public sealed class BenchmarkTaskKind : ITaskKind
{
    /// <inheritdoc/>
    public string Kind => "benchmark";

    /// <inheritdoc/>
    public string Title(JsonObject p) => p["title"]?.GetValue<string>() ?? $"benchmark {p["model"]} on {p["input"]}";

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
            return "parameter 'input': expected <project>@<N> (the version to benchmark on)";
        }

        if (p["iouType"]?.GetValue<string>() is { } t && t is not ("bbox" or "segm"))
        {
            return $"parameter 'iouType': expected bbox or segm, got '{t}'";
        }

        return ClassProblem(p, store).Refusal;
    }

    // The model's classes (after the mapping) against the input's: a refusal when none matches, a warning when some do
    // not. An input that does not resolve is left to ReadInput's message at run time.
    private static (string? Refusal, string? Warning, IReadOnlyList<string> Classes) ClassProblem(JsonObject p, CairnStore store)
    {
        var model = new ModelRegistry(store).Find(p["model"]!.ToString())!;
        IReadOnlyList<string> classes;
        try
        {
            classes = ClassMapping.Apply(p["classes"], ModelRegistry.Classes(model));
        }
        catch (ModelRegistryException e)
        {
            return ($"parameter {e.Message}", null, []);
        }

        var spec = p["input"]!.GetValue<string>();
        if (!VersionSpec.TryParse(spec, out var parsed, out _) || new ProjectService(store).Find(parsed.Project) is not { } project)
        {
            return (null, null, classes);
        }

        var versions = new VersionBrowser(store);
        var metaJson = parsed.Number is { } n ? versions.Get(project.Id, n) is { } v ? versions.MetaJson(v) : null : project.MetaJson;
        if (metaJson is null)
        {
            return (null, null, classes);
        }

        var data = ProjectMetaJson.Parse(metaJson).Classes.Select(c => c.Name).ToList();
        var unmatched = ClassMapping.Missing(classes, data);
        var lists = $"model '{model.Name}' has {string.Join(", ", classes)}; {spec} has {(data.Count == 0 ? "no classes" : string.Join(", ", data))}";
        if (unmatched.Count == classes.Count)
        {
            return ($"no class of the model matches a class of the ground truth ({lists}). Map the model's classes to the data's with --classes a,b,c or --classes-file FILE (parameter 'classes'), or benchmark on data of the model's classes", null, classes);
        }

        var missed = ClassMapping.Missing(data, classes);
        return unmatched.Count == 0 && missed.Count == 0 ? (null, null, classes)
            : (null, $"classes matched in part: model classes without a ground-truth class: {(unmatched.Count == 0 ? "none" : string.Join(", ", unmatched))} (their detections count as false positives); ground-truth classes the model does not predict: {(missed.Count == 0 ? "none" : string.Join(", ", missed))} (AP -1 or 0)", classes);
    }

    /// <inheritdoc/>
    public async Task RunAsync(TaskContext ctx)
    {
        var registry = new ModelRegistry(ctx.Store);
        var model = registry.Find(ctx.Parameters["model"]!.ToString())!;
        ctx.Records.AddRelation(ctx.TaskId, "input", new NodeRef(NodeKinds.Model, model.Id, Title: model.Name));
        var version = ctx.ReadInput(ctx.String("input"));
        var project = new ProjectService(ctx.Store).Get(version.ProjectId)?.Name ?? $"project {version.ProjectId}";
        var iterations = ctx.Parameters["speedIterations"]?.GetValue<int>() ?? 20;
        var (refusal, warning, classes) = ClassProblem(ctx.Parameters, ctx.Store);
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
            IouType = ctx.OptionalString("iouType") == "segm" ? IouType.Segm : IouType.Bbox,
            BatchSize = ctx.Parameters["batch"]?.GetValue<int>() ?? 8,
            Detection = DetectionOptions.Validation with
            {
                ConfidenceThreshold = (float)(ctx.Parameters["conf"]?.GetValue<double>() ?? DetectionOptions.Validation.ConfidenceThreshold),
                IouThreshold = (float)(ctx.Parameters["iou"]?.GetValue<double>() ?? DetectionOptions.Validation.IouThreshold),
            },
            SpeedTest = iterations <= 0 ? null : new SpeedTestOptions { Iterations = iterations, WarmupRuns = Math.Min(3, iterations) },
            Title = ctx.OptionalString("title"),
            ClassNames = classes,
        };
        ctx.Log($"benchmarking {model.Name} on {project}@{version.Number} ({version.Items} images), {options.IouType}, conf ≥ {options.Detection.ConfidenceThreshold}, NMS IoU {options.Detection.IouThreshold}");
        var progress = new Progress<BenchmarkProgress>(p =>
        {
            var fraction = p.Stage switch
            {
                "inference" => p.Total == 0 ? 0 : 0.7 * p.Done / p.Total,
                "evaluating" => 0.75,
                _ => 0.85,
            };
            ctx.Report(fraction, p.Stage);
        });
        var result = await new BenchmarkRunner(ctx.Store).RunAsync(model, version, project, options, ctx.TaskId, progress, ctx.Cancellation);
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
