using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Cairn.Core.Serialization;
using Cairn.Evaluation;
using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Diagnostics;
using Cairn.Evaluation.Reports;
using Cairn.Inference;
using Cairn.Operations.Files;
using Cairn.Operations.Models;
using Cairn.Storage;
using Cairn.Storage.Benchmarks;
using Cairn.Storage.Catalog;
using Cairn.Storage.Versions;

namespace Cairn.Operations.Benchmarks;

/// <summary>
/// Benchmarks a registered model on a project version: streams the version's images through the detector, evaluates with
/// the COCO engine (the same numbers as `cairn eval`), computes the report diagnostics, runs the speed test, and stores
/// the report and metrics.json as workspace files plus an evaluation row linked to the model and the version.
/// </summary>
public sealed class BenchmarkRunner(CairnStore store, ModelRegistry registry, VersionService versions, FileService files)
{
    /// <summary>Runs a benchmark.</summary>
    public async Task<BenchmarkResult> RunAsync(ModelRow model, VersionSummary version, string projectName, BenchmarkOptions options, long? taskId = null, IProgress<BenchmarkProgress>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        if (options.IouType == IouType.Segm)
        {
            throw new ModelRegistryException($"model '{model.Name}' ({model.Layout}) predicts boxes only; a segm benchmark needs a model with mask outputs. Use --iou-type bbox.");
        }

        var classes = options.ClassNames ?? ModelRegistry.Classes(model);
        var gt = new GroundTruthBuilder(classes);
        var total = version.Items;
        using var detector = registry.Open(model, options.Detection);

        var detections = new List<CocoDetection>();
        var samples = new List<ImageInput>();
        var images = new List<BenchmarkImage>();
        var inferenceClock = Stopwatch.StartNew();
        long done = 0;
        await foreach (var result in detector.DetectAsync(Images(versions.ReadAll(version), gt, samples, images, options.IouType, ct), options.BatchSize, ct))
        {
            var imageId = long.Parse(result.Key, System.Globalization.CultureInfo.InvariantCulture);
            foreach (var d in result.Detections)
            {
                detections.Add(new CocoDetection(imageId, d.ClassIndex + 1, d.Score, new CocoBox(d.Box.Left, d.Box.Top, d.Box.Width, d.Box.Height)));
            }

            done++;
            if ((done & 15) == 0)
            {
                progress?.Report(new BenchmarkProgress("inference", done, total));
            }
        }

        var inferenceSeconds = inferenceClock.Elapsed.TotalSeconds;
        progress?.Report(new BenchmarkProgress("evaluating", 0, 1));
        var source = $"{projectName}@{version.Number}";
        var groundTruth = gt.Build(source);
        var results = CocoResults.Create(groundTruth, detections, model.Name);
        var title = options.Title ?? $"{model.Name} on {source}";
        var outcome = EvaluationPipeline.Run(results, new EvaluationOptions
        {
            IouType = options.IouType,
            Name = title,
            Diagnostics = new DiagnosticsOptions { IouThreshold = options.DiagnosticsIou },
            Timings = new Dictionary<string, double> { ["inference_pass"] = inferenceSeconds },
            Clock = store.Clock,
        }, ct);

        SpeedTestResult? speed = null;
        if (options.SpeedTest is { } speedOptions && samples.Count > 0)
        {
            progress?.Report(new BenchmarkProgress("speed test", 0, speedOptions.BatchSizes.Count));
            speed = await SpeedTest.RunAsync(detector, samples, speedOptions, new Progress<SpeedTestProgress>(_ => { }), ct);
            outcome = outcome with { Speed = SpeedReportOf(speed) };
        }

        var html = outcome.ReportHtml();
        var metricsJson = outcome.MetricsJson();
        var folder = $"benchmarks/{Sanitize(model.Name)}-on-{Sanitize(projectName)}-v{version.Number}";
        var report = files.Add(folder + "/report.html", Encoding.UTF8.GetBytes(html), "report", taskId);
        var metricsFile = files.Add(folder + "/metrics.json", Encoding.UTF8.GetBytes(metricsJson), "metrics", taskId);
        if (speed is not null)
        {
            files.Add(folder + "/speed.json", JsonSerializer.SerializeToUtf8Bytes(speed, ModelRegistry.JsonOptions), "metrics", taskId);
        }

        var row = new EvaluationRecords(store).Add(new EvaluationRow
        {
            WorkspaceId = model.WorkspaceId,
            ModelId = model.Id,
            VersionId = version.Id,
            TaskId = taskId,
            Title = title,
            IouType = options.IouType == IouType.Segm ? "segm" : "bbox",
            MapAll = outcome.Result.Stats[0],
            Map50 = outcome.Result.Stats[1],
            GroundTruthFingerprint = groundTruth.Fingerprint,
            MetricsJson = metricsJson,
            ReportFileId = report.Id,
            CreatedAt = store.UtcNow,
        });
        // Per image, what the report's counts are made of: the image pages draw it without running the model again.
        if (outcome.Diagnostics is { } diagnostics)
        {
            var matches = BenchmarkMatches.Compute(groundTruth, detections, images, diagnostics.IouThreshold, diagnostics.ConfidenceThreshold);
            files.Add(BenchmarkMatches.Folder(row.Id) + "matches.json", matches.ToUtf8(), BenchmarkMatches.FileKind, taskId);
        }

        return new BenchmarkResult(row, outcome.Metrics, speed, report, metricsFile, clock.Elapsed);
    }

    /// <summary>The speed section's data (the report's, and the comparison's) from a benchmark's speed.json.</summary>
    public static SpeedReport? ReadSpeedReport(byte[] speedJson)
    {
        try
        {
            return JsonSerializer.Deserialize<SpeedTestResult>(speedJson, ModelRegistry.JsonOptions) is { } s ? SpeedReportOf(s) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A speed test's timings as the report's speed section.</summary>
    public static SpeedReport SpeedReportOf(SpeedTestResult s) => new(
        $"Device {s.Device}, {s.Runtime} {s.RuntimeVersion}, {s.IntraOpThreads} inference threads, {s.PreprocessThreads} preprocessing threads, {s.ProcessorCount} cores; input {s.InputWidth}×{s.InputHeight}; {s.WarmupRuns} warm-up runs.",
        [.. s.Batches.Select(b => new SpeedReportBatch(b.BatchSize, b.Iterations, Stage(b.Preprocess), Stage(b.Inference), Stage(b.Postprocess), Stage(b.Total), b.ImagesPerSecond, b.PrePostShare))]);

    private static StageTiming Stage(TimingStats t) => new(t.MeanMs, t.StdMs);

    private async IAsyncEnumerable<ImageInput> Images(IEnumerable<VersionItem> items, GroundTruthBuilder gt, List<ImageInput> samples, List<BenchmarkImage> images, IouType iouType, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var item in items)
        {
            ct.ThrowIfCancellationRequested();
            var annotation = item.ParseAnnotation();
            var imageId = gt.Add(item.Name, annotation, iouType);
            images.Add(new BenchmarkImage(item.Dataset, item.Name, item.ImageId.ToString(), annotation.Width, annotation.Height));
            var bytes = await store.Objects.GetAsync(item.ImageId, ct);
            var input = new ImageInput(imageId.ToString(System.Globalization.CultureInfo.InvariantCulture), bytes);
            if (samples.Count < 16)
            {
                samples.Add(input);
            }

            yield return input;
        }
    }

    private static string Sanitize(string s)
    {
        var chars = s.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray();
        return new string(chars).Trim('-');
    }
}
