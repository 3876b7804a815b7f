using SkiaSharp;

namespace Cairn.Inference.Tests;

public sealed class HandMadeModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cairn-infer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task End_to_end_model_with_ultralytics_metadata_is_decoded_without_nms()
    {
        // [1, 3, 6] rows x1, y1, x2, y2, score, class in 64×64 input pixels; names from metadata as Ultralytics writes them.
        float[] rows =
        [
            10, 20, 50, 60, 0.9f, 2,
            10, 20, 50, 60, 0.8f, 2, // an exact duplicate: an end-to-end model's output is final, so it stays
            0, 0, 5, 5, 0.0005f, 1, // below conf 0.001
        ];
        var path = TinyOnnx.Write(Path.Combine(_dir, "e2e.onnx"), 64, [TinyOnnx.FloatOutput("output0", [1, 3, 6], rows)],
            new Dictionary<string, string> { ["names"] = "{0: 'circle', 1: 'square', 2: 'triangle'}", ["imgsz"] = "[64, 64]" });
        using var detector = OnnxDetector.Load(path);
        Assert.Equal(OutputLayout.EndToEnd, detector.Info.Layout);
        Assert.Equal(["circle", "square", "triangle"], detector.Info.ClassNames);
        Assert.Equal(1, detector.Info.FixedBatchSize);

        // A 128×64 image letterboxed into 64×64: r = 0.5, resized 64×32, 16 rows of bar on top (hand-computed), so
        // (10, 20, 50, 60) maps to ((10 − 0) / 0.5, (20 − 16) / 0.5, 50 / 0.5, (60 − 16) / 0.5) = (20, 8, 100, 88),
        // and the bottom is clipped to the image height 64.
        var results = await detector.DetectAsync([Png(128, 64, "a"), Png(128, 64, "b")], batchSize: 8); // fixed batch 1 wins
        Assert.Equal(["a", "b"], results.Select(r => r.Key));
        var first = results[0].Detections;
        Assert.Equal([0.9f, 0.8f], first.Select(d => d.Score));
        Assert.Equal(new Cairn.Core.Model.BoxD(20, 8, 100, 64), first[0].Box);
        Assert.Equal("triangle", results[0].ToLabels(detector.Info.ClassNames)[0].ClassName);
    }

    [Fact]
    public async Task Boxes_scores_labels_outputs_with_symbolic_sizes_are_probed_and_read()
    {
        // Declared [1, n, 4] / [1, n] / [1, n]: the probe run resolves n = 2; labels are int64.
        TinyOnnx.Output[] outputs =
        [
            TinyOnnx.FloatOutput("boxes", [1, 2, 4], [0, 0, 32, 32, 8, 8, 16, 16], declared: [1, null, 4]),
            TinyOnnx.FloatOutput("scores", [1, 2], [0.3f, 0.7f], declared: [1, null]),
            TinyOnnx.Int64Output("labels", [1, 2], [0, 1], declared: [1, null]),
        ];
        var path = TinyOnnx.Write(Path.Combine(_dir, "bsl.onnx"), 64, outputs);
        Assert.Throws<ModelFormatException>(() => OnnxDetector.Load(path)); // no class names anywhere
        using var detector = OnnxDetector.Load(path, new DetectorOptions { ClassNames = ["cat", "dog"] });
        Assert.Equal(OutputLayout.BoxesScoresLabels, detector.Info.Layout);
        Assert.Equal([1L, 2, 4], detector.Info.Outputs.Single(o => o.Name == "boxes").Shape);
        var r = Assert.Single(await detector.DetectAsync([Png(64, 64, "x")], 1));
        Assert.Equal([(1, 0.7f), (0, 0.3f)], r.Detections.Select(d => (d.ClassIndex, d.Score)));
        Assert.Equal(new Cairn.Core.Model.BoxD(8, 8, 16, 16), r.Detections[0].Box);
    }

    [Fact]
    public async Task Yolov5_shaped_output_is_read_with_objectness_and_nms()
    {
        // [1, 8, 7]: 8 anchors of cx, cy, w, h, objectness, 2 class scores; no names, so [B, N, 5+C] reads as YOLOv5.
        // Anchor 0: (32, 32, 20, 20) obj 0.9 × (0.9, 0.05) → 0.81 and 0.045; anchor 1 is anchor 0 moved 1 px right with
        // scores 0.72 and 0.009: IoU 19·20 / (400 + 400 − 380) = 0.905 > 0.7, so both are suppressed by anchor 0's box of
        // the same class. The other anchors have objectness 0.
        var values = new float[8 * 7];
        float[] a0 = [32, 32, 20, 20, 0.9f, 0.9f, 0.05f], a1 = [33, 32, 20, 20, 0.9f, 0.8f, 0.01f];
        a0.CopyTo(values, 0);
        a1.CopyTo(values, 7);
        var path = TinyOnnx.Write(Path.Combine(_dir, "v5.onnx"), 64, [TinyOnnx.FloatOutput("output", [1, 8, 7], values)]);
        using var detector = OnnxDetector.Load(path);
        Assert.Equal((OutputLayout.YoloObjectness, 2), (detector.Info.Layout, detector.Info.ClassCount));
        var r = Assert.Single(await detector.DetectAsync([Png(64, 64, "x")], 1));
        Assert.Equal([(0, 0.9f * 0.9f), (1, 0.9f * 0.05f)], r.Detections.Select(d => (d.ClassIndex, d.Score)));
        Assert.Equal(new Cairn.Core.Model.BoxD(22, 22, 42, 42), r.Detections[0].Box);
    }

    [Fact]
    public void Classifier_outputs_are_refused_naming_file_outputs_and_shapes()
    {
        var path = TinyOnnx.Write(Path.Combine(_dir, "classifier.onnx"), 64, [TinyOnnx.FloatOutput("logits", [1, 10], new float[10])]);
        var e = Assert.Throws<ModelFormatException>(() => OnnxDetector.Load(path));
        Assert.Contains("classifier.onnx", e.Message, StringComparison.Ordinal);
        Assert.Contains("logits[1, 10]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_refused_with_its_path()
    {
        var path = Path.Combine(_dir, "junk.onnx");
        File.WriteAllText(path, "not a model");
        var e = Assert.Throws<ModelFormatException>(() => OnnxDetector.Load(path));
        Assert.Contains("junk.onnx", e.Message, StringComparison.Ordinal);
    }

    private static ImageInput Png(int w, int h, string key)
    {
        using var bitmap = new SKBitmap(w, h);
        bitmap.Erase(new SKColor(30, 60, 90));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return new ImageInput(key, data.ToArray());
    }
}
