using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cairn.Evaluation.Coco;

// Small console harness: times loading and evaluation separately, several runs, prints medians.
//   eval  bbox|segm GT DT [runs]     time load + evaluate (in-process, after one warm-up run)
//   to-rle GT DT_POLY OUT            turn polygon results into compressed-RLE results (what pycocotools' loadRes needs)
if (args.Length >= 3 && args[0] == "eval")
{
    var iouType = args[1] == "segm" ? IouType.Segm : IouType.Bbox;
    var runs = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 5;
    var load = new List<double>();
    var eval = new List<double>();
    double[] stats = [];
    for (var i = 0; i <= runs; i++)
    {
        var sw = Stopwatch.StartNew();
        var results = CocoResults.LoadPair(args[2], args[3], iouType);
        var tLoad = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var r = CocoEvaluator.Evaluate(results, iouType);
        var tEval = sw.Elapsed.TotalSeconds;
        stats = [.. r.Stats];
        if (i > 0)
        {
            load.Add(tLoad);
            eval.Add(tEval);
        }

        Console.Error.WriteLine($"run {i}{(i == 0 ? " (warm-up)" : string.Empty)}: load {tLoad:F3} s, evaluate {tEval:F3} s");
        results = null;
        GC.Collect();
    }

    static double Median(List<double> v)
    {
        var s = v.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }

    Console.WriteLine(JsonSerializer.Serialize(new
    {
        iou_type = args[1],
        runs,
        load_median_s = Median(load),
        evaluate_median_s = Median(eval),
        total_median_s = Median([.. load.Zip(eval, (a, b) => a + b)]),
        peak_working_set_mb = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,
        stats,
    }));
    return 0;
}

if (args.Length == 4 && args[0] == "to-rle")
{
    var gt = CocoDataset.Load(args[1]);
    var dt = CocoResults.Load(args[2], gt);
    using var stream = File.Create(args[3]);
    using var w = new Utf8JsonWriter(stream);
    w.WriteStartArray();
    var images = gt.Images.ToDictionary(i => i.Id);
    foreach (var d in dt.Detections)
    {
        var im = images[d.ImageId];
        var rle = d.Segmentation!.Value.ToRle(im.Height, im.Width);
        w.WriteStartObject();
        w.WriteNumber("image_id", d.ImageId);
        w.WriteNumber("category_id", d.CategoryId);
        w.WriteStartObject("segmentation");
        w.WriteStartArray("size");
        w.WriteNumberValue(rle.Height);
        w.WriteNumberValue(rle.Width);
        w.WriteEndArray();
        w.WriteString("counts", rle.ToCompressedString());
        w.WriteEndObject();
        w.WriteNumber("score", d.Score);
        w.WriteEndObject();
    }

    w.WriteEndArray();
    return 0;
}

if (args.Length >= 4 && args[0] == "report")
{
    var sw = Stopwatch.StartNew();
    var iouType = args.Length > 4 && args[4] == "segm" ? IouType.Segm : IouType.Bbox;
    var results = CocoResults.LoadPair(args[1], args[2]);
    var coco = CocoEvaluator.Evaluate(results, iouType);
    var diag = Cairn.Evaluation.Diagnostics.DetectionDiagnostics.Compute(results, new() { IouType = iouType });
    var metrics = Cairn.Evaluation.Reports.MetricsJson.Create(results, coco, diag);
    Directory.CreateDirectory(args[3]);
    Cairn.Evaluation.Reports.MetricsJson.Write(metrics, Path.Combine(args[3], "metrics.json"));
    Cairn.Evaluation.Reports.ReportWriter.WriteHtml(metrics, Path.Combine(args[3], "report.html"));
    Console.WriteLine($"{sw.Elapsed.TotalSeconds:F2} s");
    return 0;
}

if (args.Length >= 3 && args[0] == "parse")
{
    for (var i = 0; i < 4; i++)
    {
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var gt = CocoDataset.Load(args[1]);
        var tGt = sw.Elapsed.TotalSeconds;
        var cpu1 = Process.GetCurrentProcess().TotalProcessorTime;
        sw.Restart();
        var dets = CocoResults.Parse(args[2]);
        var tDt = sw.Elapsed.TotalSeconds;
        var cpu2 = Process.GetCurrentProcess().TotalProcessorTime;
        sw.Restart();
        var res = CocoResults.Create(gt, dets);

        var tCheck = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var cpu3 = Process.GetCurrentProcess().TotalProcessorTime;
        CocoEvaluator.Evaluate(res, args.Length > 3 && args[3] == "segm" ? IouType.Segm : IouType.Bbox);
        var cpu4 = Process.GetCurrentProcess().TotalProcessorTime;
        Console.WriteLine($"gt {tGt:F3}s (cpu {(cpu1 - cpu0).TotalSeconds:F3}), dt {tDt:F3}s (cpu {(cpu2 - cpu1).TotalSeconds:F3}), check {tCheck:F3}s, eval {sw.Elapsed.TotalSeconds:F3}s (cpu {(cpu4 - cpu3).TotalSeconds:F3})");
    }

    return 0;
}

Console.Error.WriteLine("usage: eval bbox|segm GT DT [runs] | to-rle GT DT_POLY OUT");
return 2;
