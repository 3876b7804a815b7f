using Cairn.Core.Formats;
using Cairn.Inference;
using Cairn.Operations.Benchmarks;
using Cairn.Operations.Models;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Cairn.TestSupport;

namespace Cairn.Operations.Tests.Benchmarks;

public sealed class BenchmarkRunnerTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "cairn-bench-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Benchmark_of_the_shapes_model_matches_the_independently_measured_map()
    {
        using var store = CairnStore.Open(_home);
        var import = new ProjectImporter(store).Import("coco", SharedData.Resolve("models/shapes-val"), "shapes-val");
        var version = new VersionService(store).Create(import.Project.Id, "ground truth")!;
        var model = new ModelRegistry(store).Add(SharedData.Resolve("models/shapes-det.onnx"), "shapes-det", ["circle", "square", "triangle"]);
        Assert.Equal(nameof(OutputLayout.YoloChannelsFirst), model.Layout);
        var summary = new VersionService(store).Get(import.Project.Id, version.Version.Number)!;

        var result = await new BenchmarkRunner(store, new ModelRegistry(store), new VersionService(store), new Operations.Files.FileService(store)).RunAsync(
            model,
            summary,
            "shapes-val",
            new BenchmarkOptions { SpeedTest = new SpeedTestOptions { BatchSizes = [1, 8], WarmupRuns = 1, Iterations = 2 } });

        // models/README.md (ONNX Runtime + pycocotools, conf 0.001, class-wise NMS IoU 0.7, 300 dets): mAP 0.6985, mAP@0.5 0.9326.
        // Tolerance 0.005 as the issue allows (NMS details and GT area rounding only).
        Assert.InRange(result.Metrics.Stats[0], 0.6985 - 0.005, 0.6985 + 0.005);
        Assert.InRange(result.Metrics.Stats[1], 0.9326 - 0.005, 0.9326 + 0.005);
        Assert.Equal(200, result.Metrics.Dataset.Images);
        Assert.NotNull(result.Speed);
        Assert.Equal([1, 8], result.Speed!.Batches.Select(b => b.BatchSize));
        Assert.All(result.Speed.Batches, b => Assert.True(b.ImagesPerSecond > 0));

        var html = System.Text.Encoding.UTF8.GetString(new Files.FileService(store).Read(result.Report));
        Assert.Contains("id=\"speed\"", html);
        Assert.Contains("<a href=\"#speed\">Inference speed</a>", html);
        Assert.InRange(html.IndexOf("<section id=\"speed\">", StringComparison.Ordinal), html.IndexOf("<main>", StringComparison.Ordinal), html.IndexOf("<footer>", StringComparison.Ordinal));
        Assert.Equal(result.Evaluation.ReportFileId, result.Report.Id);
        Assert.Equal(summary.Id, result.Evaluation.VersionId);
        Assert.Equal(model.Id, result.Evaluation.ModelId);
    }

    [Fact]
    public void A_file_that_is_not_a_detector_is_refused_and_nothing_is_registered()
    {
        using var store = CairnStore.Open(_home);
        var bogus = Path.Combine(_home, "not-a-model.onnx");
        File.WriteAllText(bogus, "this is not an onnx file");
        var registry = new ModelRegistry(store);
        Assert.ThrowsAny<Exception>(() => registry.Add(bogus, "bogus"));
        Assert.Empty(registry.List());
    }
}
