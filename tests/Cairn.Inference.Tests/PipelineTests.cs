using Cairn.Inference.Internal;
using Cairn.TestSupport;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace Cairn.Inference.Tests;

public sealed class PipelineTests
{
    private static readonly string ShapesModel = SharedData.Resolve("models/shapes-det.onnx");
    private static readonly string Images = SharedData.Resolve("models/shapes-val/images");

    [Fact]
    public void Pipeline_tensor_and_raw_output_equal_plain_onnx_runtime_on_the_same_image()
    {
        var path = Path.Combine(Images, "shape_0000.png");

        // Independent reference: decode with SKBitmap, build the CHW /255 tensor by hand (the image is 256×256, so the
        // letterbox is the identity: models/README.md), run a default ONNX Runtime session.
        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal((256, 256), (bitmap.Width, bitmap.Height));
        var expected = new float[3 * 256 * 256];
        for (var y = 0; y < 256; y++)
        {
            for (var x = 0; x < 256; x++)
            {
                var c = bitmap.GetPixel(x, y);
                expected[(y * 256) + x] = c.Red / 255f;
                expected[(256 * 256) + (y * 256) + x] = c.Green / 255f;
                expected[(2 * 256 * 256) + (y * 256) + x] = c.Blue / 255f;
            }
        }

        float[] reference;
        using (var session = new InferenceSession(ShapesModel))
        using (var input = OrtValue.CreateTensorValueFromMemory(expected, [1, 3, 256, 256]))
        using (var runOptions = new RunOptions())
        using (var outputs = session.Run(runOptions, ["images"], [input], ["output0"]))
        {
            reference = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }

        using var detector = OnnxDetector.Load(ShapesModel);
        var batch = detector.NewBatch(1);
        using (var image = detector.Decode(new ImageInput("shape_0000.png", File.ReadAllBytes(path))))
        {
            detector.Preprocess([image], ["shape_0000.png"], batch, CancellationToken.None);
        }

        Assert.Equal(expected, batch.Tensor);
        using var ours = detector.Run(batch);
        var raw = ours[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(7 * 1024, raw.Length);
        Assert.Equal(reference.Length, raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            // Same runtime, same graph, same input: any difference beyond float noise from thread scheduling is a bug.
            Assert.True(Math.Abs(raw[i] - reference[i]) <= 1e-5f * Math.Max(1, Math.Abs(reference[i])), $"output0[{i}]: {raw[i]} vs {reference[i]}");
        }

        // The best detection is the best (cell, class) of the raw output, decoded from cx, cy, w, h.
        var detections = detector.Postprocess(ours, batch)[0];
        var (bestCell, bestClass, bestScore) = (0, 0, float.MinValue);
        for (var c = 0; c < 3; c++)
        {
            for (var cell = 0; cell < 1024; cell++)
            {
                if (reference[((4 + c) * 1024) + cell] > bestScore)
                {
                    (bestCell, bestClass, bestScore) = (cell, c, reference[((4 + c) * 1024) + cell]);
                }
            }
        }

        var top = detections.Detections[0];
        Assert.Equal(bestClass, top.ClassIndex);
        Assert.Equal(bestScore, top.Score, 5);
        var cx = reference[bestCell];
        var w = reference[(2 * 1024) + bestCell];
        Assert.Equal(Math.Clamp(cx - (w / 2), 0, 256), top.Box.Left, 3);
        Assert.Equal(Math.Clamp(cx + (w / 2), 0, 256), top.Box.Right, 3);
    }

    [Fact]
    public async Task Streaming_detection_keeps_input_order_and_does_not_depend_on_batch_size()
    {
        var files = Directory.GetFiles(Images, "*.png").Order(StringComparer.Ordinal).Take(11).ToArray();
        using var detector = OnnxDetector.Load(ShapesModel);
        var one = await Collect(detector.DetectAsync(ImageInput.FromFilesAsync(files), 1));
        var eight = await Collect(detector.DetectAsync(ImageInput.FromFilesAsync(files), 8)); // 8 + a partial batch of 3
        Assert.Equal(files, one.Select(r => r.Key));
        Assert.Equal(files, eight.Select(r => r.Key));
        for (var i = 0; i < files.Length; i++)
        {
            Assert.Equal(one[i].Detections.Count, eight[i].Detections.Count);
            Assert.NotEmpty(one[i].Detections);
            for (var k = 0; k < one[i].Detections.Count; k++)
            {
                Assert.Equal(one[i].Detections[k].ClassIndex, eight[i].Detections[k].ClassIndex);
                Assert.Equal(one[i].Detections[k].Score, eight[i].Detections[k].Score, 4);
            }
        }
    }

    [Fact]
    public async Task Concurrent_streams_on_one_detector_give_the_same_results_as_one_stream()
    {
        var files = Directory.GetFiles(Images, "*.png").Order(StringComparer.Ordinal).Take(16).ToArray();
        using var detector = OnnxDetector.Load(ShapesModel);
        var alone = await Collect(detector.DetectAsync(ImageInput.FromFilesAsync(files), 4));
        var both = await Task.WhenAll(
            Collect(detector.DetectAsync(ImageInput.FromFilesAsync(files), 4)),
            Collect(detector.DetectAsync(ImageInput.FromFilesAsync(files.Reverse()), 4)));
        Assert.Equal(alone.Select(r => r.Detections), both[0].Select(r => r.Detections));
        Assert.Equal(alone.Select(r => r.Detections).Reverse(), both[1].Select(r => r.Detections));
    }

    [Fact]
    public async Task Stopping_early_ends_the_stream_without_error()
    {
        // The consumer leaves after 3 of 40 images: the producer (decoding ahead) must be cancelled, not left running.
        var files = Directory.GetFiles(Images, "*.png").Order(StringComparer.Ordinal).Take(40).ToArray();
        using var detector = OnnxDetector.Load(ShapesModel);
        var seen = new List<string>();
        await foreach (var r in detector.DetectAsync(ImageInput.FromFilesAsync(files), 2))
        {
            seen.Add(r.Key);
            if (seen.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(files.Take(3), seen);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => detector.DetectAsync(files.Select(f => new ImageInput(f, File.ReadAllBytes(f))), 2, cts.Token));
    }

    [Fact]
    public async Task A_non_square_image_gives_boxes_in_its_own_pixels()
    {
        // shape_0000.png padded to 256×384 (a grey 114 band below): the detector letterboxes it back to 256×256 after a
        // resize to 171×256, and every box must lie inside the original 256×384 frame.
        using var src = SKBitmap.Decode(Path.Combine(Images, "shape_0000.png"));
        using var tall = new SKBitmap(256, 384);
        using (var canvas = new SKCanvas(tall))
        {
            canvas.Clear(new SKColor(114, 114, 114));
            canvas.DrawBitmap(src, 0, 0);
        }

        using var png = tall.Encode(SKEncodedImageFormat.Png, 100);
        using var detector = OnnxDetector.Load(ShapesModel, new DetectorOptions { Detection = DetectionOptions.Prediction });
        var result = Assert.Single(await detector.DetectAsync([new ImageInput("tall", png.ToArray())], 1));
        Assert.Equal((256, 384), (result.Width, result.Height));
        Assert.NotEmpty(result.Detections);
        Assert.All(result.Detections, d => Assert.True(d.Box.Left >= 0 && d.Box.Right <= 256 && d.Box.Top >= 0 && d.Box.Bottom <= 384));
    }

    [Fact]
    public async Task Undecodable_image_is_reported_with_its_key()
    {
        using var detector = OnnxDetector.Load(ShapesModel);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => detector.DetectAsync([new ImageInput("broken.png", new byte[] { 1, 2, 3 })], 1));
        Assert.Contains("broken.png", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Speed_test_times_every_batch_size_and_serialises()
    {
        using var detector = OnnxDetector.Load(ShapesModel);
        var samples = await Task.WhenAll(Directory.GetFiles(Images, "*.png").Order(StringComparer.Ordinal).Take(3)
            .Select(f => ImageInput.FromFileAsync(f)));
        var reports = new List<SpeedTestProgress>();
        var progress = new SyncProgress(reports);
        var result = await SpeedTest.RunAsync(detector, samples, new SpeedTestOptions { BatchSizes = [1, 4], WarmupRuns = 1, Iterations = 2 }, progress);
        Assert.Equal([1, 4], result.Batches.Select(b => b.BatchSize));
        Assert.All(result.Batches, b => Assert.True(b.Inference.MeanMs > 0 && b.Preprocess.MeanMs > 0 && b.ImagesPerSecond > 0));
        Assert.Equal("CPU", result.Device);
        Assert.Equal(OnnxDetector.RuntimeVersion, result.RuntimeVersion);
        Assert.Equal(6, reports.Count);
        var json = System.Text.Json.JsonSerializer.Serialize(result);
        Assert.Equal(result.Batches[1].Inference, System.Text.Json.JsonSerializer.Deserialize<SpeedTestResult>(json)!.Batches[1].Inference);
    }

    private static async Task<List<ImageDetections>> Collect(IAsyncEnumerable<ImageDetections> source)
    {
        var list = new List<ImageDetections>();
        await foreach (var r in source)
        {
            list.Add(r);
        }

        return list;
    }

    private sealed class SyncProgress(List<SpeedTestProgress> sink) : IProgress<SpeedTestProgress>
    {
        public void Report(SpeedTestProgress value) => sink.Add(value);
    }
}
