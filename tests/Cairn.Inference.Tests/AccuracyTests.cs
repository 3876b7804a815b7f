using System.Text.Json;
using Cairn.Evaluation.Coco;
using Cairn.TestSupport;

namespace Cairn.Inference.Tests;

public sealed class AccuracyTests
{
    [Fact]
    public async Task Shapes_model_on_shapes_val_scores_the_independently_measured_map()
    {
        // Expected: shared/data/models/README.md and expected.json — mAP@[.5:.95] 0.6985, mAP@0.5 0.9326, measured with
        // ONNX Runtime in C# and pycocotools COCOeval (bbox) at Ultralytics' validation defaults (conf 0.001, class-wise
        // NMS at IoU 0.7, 300 detections, multi-label). Tolerance 0.005, the allowance for NMS details.
        var gt = CocoDataset.Load(SharedData.Resolve("models/shapes-val/annotations.json"));
        var images = SharedData.Resolve("models/shapes-val/images");
        var ids = gt.Images.ToDictionary(i => Path.Combine(images, i.FileName), i => i.Id);

        using var detector = OnnxDetector.Load(SharedData.Resolve("models/shapes-det.onnx"), new DetectorOptions { Detection = DetectionOptions.Validation });
        var detections = new List<CocoDetection>();
        await foreach (var result in detector.DetectAsync(ImageInput.FromFilesAsync(ids.Keys), batchSize: 8))
        {
            foreach (var d in result.Detections)
            {
                // models/README.md: model class index = category id − 1.
                detections.Add(new CocoDetection(ids[result.Key], d.ClassIndex + 1, d.Score, new CocoBox(d.Box.Left, d.Box.Top, d.Box.Width, d.Box.Height)));
            }
        }

        var eval = CocoEvaluator.Evaluate(gt, detections, IouType.Bbox);
        Assert.Equal(0.6985, eval.Stats[0], 0.005);
        Assert.Equal(0.9326, eval.Stats[1], 0.005);

        // The other ten COCO stats (AP@0.75, per area, AR) from expected.json, same tolerance.
        using var expected = JsonDocument.Parse(File.ReadAllText(SharedData.Resolve("models/expected.json")));
        var stats = expected.RootElement.GetProperty("stats").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(12, stats.Length);
        for (var i = 0; i < stats.Length; i++)
        {
            Assert.True(Math.Abs(stats[i] - eval.Stats[i]) <= 0.005, $"stat {i} ({CocoEvalResult.StatNames[i]}): {eval.Stats[i]} vs expected {stats[i]}");
        }
    }
}
