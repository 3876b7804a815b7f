using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cairn.Inference;

// Measures the shapes model on shapes-val: the speed test's per-stage split, end-to-end streaming throughput, and
// (with --coco-out) the detections as a COCO results file for an accuracy check.
//   dotnet run -c Release --project bench/Cairn.Inference.Bench -- <model.onnx> <images-dir> [--annotations a.json]
//       [--coco-out results.json] [--json speed.json] [--iterations 20] [--intra-threads 0] [--pre-threads 0]
if (args.Length >= 1 && args[0] == "--letterbox")
{
    // Letterbox alone on synthetic frames of common sizes into 640×640: ms per image (median of 50 after 5 warm-ups).
    foreach (var (w, h) in new[] { (640, 480), (1280, 720), (1920, 1080), (256, 256) })
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{w}x{h} -> 640: {Cairn.Inference.Bench.LetterboxTiming.MedianMs(w, h, 640):F3} ms"));
    }

    return 0;
}

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: <model.onnx> <images-dir> [--annotations annotations.json --coco-out results.json] [--json out.json] [--iterations N] [--intra-threads N] [--pre-threads N]");
    return 2;
}

var model = args[0];
var imagesDir = args[1];
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
int IntOption(string name, int fallback) => Option(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

var options = new DetectorOptions
{
    IntraOpThreads = IntOption("--intra-threads", 0),
    PreprocessThreads = IntOption("--pre-threads", 0),
    SpinWait = args.Contains("--spin"),
    Detection = DetectionOptions.Validation,
};
using var detector = OnnxDetector.Load(model, options);
var files = Directory.GetFiles(imagesDir).Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase))
    .Order(StringComparer.Ordinal).ToArray();
Console.WriteLine($"model {Path.GetFileName(model)}: {detector.Info.Layout}, {detector.Info.ClassCount} classes, input {detector.Info.InputWidth}x{detector.Info.InputHeight}; {files.Length} images; ORT {OnnxDetector.RuntimeVersion}, {detector.Device}, intra-op {options.IntraOpThreads}, spin {options.SpinWait}, preprocess threads {detector.PreprocessThreads}, {Environment.ProcessorCount} cores");

// End-to-end streaming pass (decode + preprocess overlapped with inference), batch 8.
var ids = Option("--annotations") is { } ann ? ImageIds(ann) : null;
var cocoResults = new List<object>();
var sw = Stopwatch.StartNew();
var count = 0;
await foreach (var r in detector.DetectAsync(ImageInput.FromFilesAsync(files), 8))
{
    count++;
    if (ids is not null && ids.TryGetValue(Path.GetFileName(r.Key), out var imageId))
    {
        foreach (var d in r.Detections)
        {
            cocoResults.Add(new
            {
                image_id = imageId,
                category_id = d.ClassIndex + 1, // models/README.md: model class index = category id − 1
                bbox = new[] { Math.Round(d.Box.Left, 3), Math.Round(d.Box.Top, 3), Math.Round(d.Box.Width, 3), Math.Round(d.Box.Height, 3) },
                score = Math.Round(d.Score, 5),
            });
        }
    }
}

sw.Stop();
Console.WriteLine($"stream: {count} images in {sw.Elapsed.TotalMilliseconds:F0} ms = {count / sw.Elapsed.TotalSeconds:F1} images/s (batch 8, decode included)");
if (Option("--coco-out") is { } cocoOut)
{
    await File.WriteAllTextAsync(cocoOut, JsonSerializer.Serialize(cocoResults));
    Console.WriteLine($"wrote {cocoResults.Count} detections to {cocoOut}");
}

var samples = await Task.WhenAll(files.Take(32).Select(f => ImageInput.FromFileAsync(f)));
var speed = await SpeedTest.RunAsync(detector, samples, new SpeedTestOptions { Iterations = IntOption("--iterations", 20), WarmupRuns = 3 });
Console.WriteLine("batch | stat   | decode ms/img | pre ms/img | infer ms/img | post ms/img | pre+post share | images/s");
foreach (var b in speed.Batches)
{
    foreach (var (stat, pick) in new (string, Func<TimingStats, double>)[] { ("mean", s => s.MeanMs), ("median", s => s.MedianMs), ("min", s => s.MinMs) })
    {
        var n = b.BatchSize;
        double pre = pick(b.Preprocess) / n, inf = pick(b.Inference) / n, post = pick(b.Postprocess) / n;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{n,5} | {stat,-6} | {pick(b.Decode) / n,13:F3} | {pre,10:F3} | {inf,12:F3} | {post,11:F3} | {(pre + post) / (pre + inf + post),14:P1} | {1000 / (pre + inf + post),8:F1}"));
    }
}

if (Option("--json") is { } jsonOut)
{
    await File.WriteAllTextAsync(jsonOut, JsonSerializer.Serialize(speed, new JsonSerializerOptions { WriteIndented = true }));
}

return 0;

static Dictionary<string, int> ImageIds(string annotations)
{
    using var doc = JsonDocument.Parse(File.ReadAllText(annotations));
    return doc.RootElement.GetProperty("images").EnumerateArray()
        .ToDictionary(i => i.GetProperty("file_name").GetString()!, i => i.GetProperty("id").GetInt32());
}
