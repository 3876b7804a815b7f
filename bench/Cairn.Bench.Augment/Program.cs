using System.Diagnostics;
using System.Text.Json;
using Cairn.Core.Model;
using Cairn.Operations.Augment;
using Cairn.Operations.Imaging;

// Throughput of the augment library on a folder of JPEGs, for comparison with ../shared/tools/aug_peer.py.
// usage: Cairn.Bench.Augment IMAGES_DIR N [--annotations coco.json] [--workers W] [--runs R] [--phases]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Cairn.Bench.Augment IMAGES_DIR N [--annotations coco.json] [--workers W] [--runs R] [--phases]");
    return 2;
}

var dir = args[0];
var n = int.Parse(args[1]);
string? annotationsPath = null;
var workers = Environment.ProcessorCount;
var runs = 3;
var phases = false;
var kernels = false;
for (var i = 2; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--annotations": annotationsPath = args[++i]; break;
        case "--workers": workers = int.Parse(args[++i]); break;
        case "--runs": runs = int.Parse(args[++i]); break;
        case "--phases": phases = true; break;
        case "--kernels": kernels = true; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

var files = Directory.GetFiles(dir).Order(StringComparer.Ordinal).Take(n).ToArray();
var annotations = annotationsPath is null ? [] : LoadBoxes(annotationsPath);

// The issue 8 pipeline: hflip, rotate 15° (bilinear, black), noise σ 8, blur 5×5, contrast ×1.1 then +10, JPEG q90.
const string PipelineJson = """
{
  "version": 1, "seed": 8, "outputsPerImage": 1, "output": {"format": "jpeg", "quality": 90},
  "steps": [
    {"op": "hflip"},
    {"op": "rotate", "angle": 15},
    {"op": "gaussianNoise", "sigma": 8},
    {"op": "gaussianBlur", "kernel": 5},
    {"op": "contrast", "factor": 1.1, "center": 0},
    {"op": "brightness", "delta": 10}
  ]
}
""";
var pipeline = AugmentPipeline.FromJson(PipelineJson, "bench pipeline");

Annotation AnnotationOf(string path) =>
    annotations.TryGetValue(Path.GetFileName(path), out var a) ? a : Annotation.Empty(640, 480);

if (phases)
{
    // Single thread, phase by phase over the same 200 images (after a warm-up pass); wall and process CPU time,
    // since CPU time is what a shared, loaded machine distorts least.
    var sample = files.Take(200).ToArray();
    var bytes = sample.Select(File.ReadAllBytes).ToArray();
    for (var pass = 0; pass < 2; pass++)
    {
        var decoded = new RgbaImage[sample.Length];
        var (dWall, dCpu) = Measure(() =>
        {
            for (var i = 0; i < sample.Length; i++)
            {
                decoded[i] = ImageCodec.Decode(bytes[i]);
            }
        });
        var outputs = new RgbaImage[sample.Length];
        var (tWall, tCpu) = Measure(() =>
        {
            for (var i = 0; i < sample.Length; i++)
            {
                outputs[i] = pipeline.Apply(decoded[i], AnnotationOf(sample[i]), sample[i], 0).Image;
            }
        });
        var (eWall, eCpu) = Measure(() =>
        {
            for (var i = 0; i < sample.Length; i++)
            {
                ImageCodec.Encode(outputs[i], ImageFormat.Jpeg, 90);
            }
        });
        foreach (var img in decoded.Concat(outputs))
        {
            img.Dispose();
        }

        if (pass == 1)
        {
            var k = (double)sample.Length;
            Console.WriteLine($"phases (1 thread, ms/image wall | cpu): decode {dWall / k:F2} | {dCpu / k:F2}, transform {tWall / k:F2} | {tCpu / k:F2}, encode {eWall / k:F2} | {eCpu / k:F2}");
            Transform(bytes[0], "hflip+rotate", """[{"op":"hflip"},{"op":"rotate","angle":15}]""");
            Transform(bytes[0], "noise (incl. copy)", """[{"op":"gaussianNoise","sigma":8}]""");
            Transform(bytes[0], "blur", """[{"op":"gaussianBlur","kernel":5}]""");
            Transform(bytes[0], "copy only", """[]""");
            Transform(bytes[0], "contrast+brightness (incl. copy)", """[{"op":"contrast","factor":1.1,"center":0},{"op":"brightness","delta":10}]""");
        }
    }
}

if (kernels)
{
    // Vector against scalar paths of the kernels on one decoded image, alternating to share the machine's load.
    using var img = ImageCodec.Decode(File.ReadAllBytes(files[0]));
    using var work = img.Clone();
    var map = Cairn.Operations.Geometry.Affine.Compose(new(-1, 0, img.Width, 0, 1, 0), Cairn.Operations.Geometry.Affine.Rotation(15, img.Width / 2.0, img.Height / 2.0));
    var lut = Kernels.LinearLut(1.1, 10);
    var cases = new (string Name, Action<bool> Run)[]
    {
        ("encode", simd => { JpegEncoder.UseSimd = simd; ImageCodec.Encode(img, ImageFormat.Jpeg, 90); }),
        ("warp", simd => { Warp.UseSimd = simd; Warp.Bilinear(img, work, map, 0, 0, img.Width, img.Height); }),
        ("noise", simd => { Noise.UseSimd = simd; Noise.AddGaussian(work.Pixels, 8, 1); }),
        ("lut", simd => { Kernels.UseSimd = simd; Kernels.ApplyLut(work.Pixels, lut); }),
    };
    foreach (var (name, run) in cases)
    {
        var vec = new List<double>();
        var sca = new List<double>();
        for (var round = 0; round < 7; round++)
        {
            vec.Add(Measure(() => { for (var i = 0; i < 50; i++) { run(true); } }).Cpu / 50);
            sca.Add(Measure(() => { for (var i = 0; i < 50; i++) { run(false); } }).Cpu / 50);
        }

        vec.Sort();
        sca.Sort();
        Console.WriteLine($"  {name}: vector {vec[3]:F2} ms, scalar {sca[3]:F2} ms (cpu, median of 7×50)");
    }

    return 0;
}

var rates = new List<double>();
for (var run = 0; run < runs; run++)
{
    GC.Collect();
    var peak = 0L;
    long outBytes = 0;
    var sw = Stopwatch.StartNew();
    var cpu0 = Environment.CpuUsage.TotalTime;
    var gc0 = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
    var count = await AugmentRunner.RunAsync(pipeline, Inputs(), (o, _) =>
    {
        outBytes += o.Image.Length;
        return ValueTask.CompletedTask;
    }, workers, progress: new SyncProgress(_ => peak = Math.Max(peak, Environment.WorkingSet)));
    var s = sw.Elapsed.TotalSeconds;
    var cpu = (Environment.CpuUsage.TotalTime - cpu0).TotalMilliseconds;
    rates.Add(count / s);
    Console.WriteLine($"run {run + 1}: {count} images in {s:F2}s: {count / s:F1} img/s, cpu {cpu / count:F2} ms/image (workers {workers}, output {outBytes / 1e6:F0} MB, peak working set {peak / 1e6:F0} MB, GCs {GC.CollectionCount(0) - gc0.Item1}/{GC.CollectionCount(1) - gc0.Item2}/{GC.CollectionCount(2) - gc0.Item3}, GC pause {(GC.GetTotalPauseDuration() - gc0.Item4).TotalMilliseconds:F0} ms)");
}

rates.Sort();
Console.WriteLine($"median: {rates[rates.Count / 2]:F1} img/s");
return 0;

async IAsyncEnumerable<AugmentInput> Inputs()
{
    foreach (var f in files)
    {
        yield return new AugmentInput(Path.GetFileName(f), await File.ReadAllBytesAsync(f), AnnotationOf(f));
    }
}

void Transform(byte[] image, string name, string stepsJson)
{
    var p = AugmentPipeline.FromJson($$"""{"seed": 1, "steps": {{stepsJson}}}""");
    using var src = ImageCodec.Decode(image);
    const int reps = 200;
    var (wall, cpu) = Measure(() =>
    {
        for (var i = 0; i < reps; i++)
        {
            var (img, _) = p.Apply(src, Annotation.Empty(src.Width, src.Height), "x", i);
            img.Dispose();
        }
    });
    Console.WriteLine($"  {name}: {wall / reps:F2} | {cpu / reps:F2} ms/image (wall | cpu)");
}

static (double Wall, double Cpu) Measure(Action action)
{
    var cpu0 = Environment.CpuUsage.TotalTime;
    var sw = Stopwatch.StartNew();
    action();
    return (sw.Elapsed.TotalMilliseconds, (Environment.CpuUsage.TotalTime - cpu0).TotalMilliseconds);
}

static Dictionary<string, Annotation> LoadBoxes(string path)
{
    using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
    var images = new Dictionary<long, (string Name, int W, int H)>();
    foreach (var im in doc.RootElement.GetProperty("images").EnumerateArray())
    {
        images[im.GetProperty("id").GetInt64()] = (im.GetProperty("file_name").GetString()!, im.GetProperty("width").GetInt32(), im.GetProperty("height").GetInt32());
    }

    var labels = new Dictionary<long, List<Label>>();
    foreach (var a in doc.RootElement.GetProperty("annotations").EnumerateArray())
    {
        var b = a.GetProperty("bbox");
        var box = BoxD.FromXywh(b[0].GetDouble(), b[1].GetDouble(), b[2].GetDouble(), b[3].GetDouble());
        var id = a.GetProperty("image_id").GetInt64();
        if (!labels.TryGetValue(id, out var list))
        {
            labels[id] = list = [];
        }

        list.Add(new Label($"class_{a.GetProperty("category_id").GetInt32()}", new RectangleGeometry(box)));
    }

    return images.ToDictionary(
        kv => kv.Value.Name,
        kv => new Annotation(kv.Value.W, kv.Value.H, [], labels.TryGetValue(kv.Key, out var l) ? l : []));
}

/// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class SyncProgress(Action<long> report) : IProgress<long>
{
    public void Report(long value) => report(value);
}
