using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Diagnostics;

namespace Cairn.Evaluation.Tests.Diagnostics;

/// <summary>
/// A hand-worked scene. Image 1 has class-1 objects A (0,0,10,10) and C (20,20,10,10) and a class-2 object B (50,50,10,10).
/// Detections: d1 class 1 on A (0.9, IoU 1), d2 class 1 on B (0.8, wrong class), d3 class 1 shifted 1 px off C (0.6,
/// IoU 90/110), d4 class 2 on nothing (0.3). Image 2 has a crowd region of class 1 and one detection inside it (0.7).
/// Every expected number below is worked out by hand from that.
/// </summary>
public sealed class DetectionDiagnosticsTests
{
    private static readonly DetectionDiagnostics D = DetectionDiagnostics.Compute(Scene());

    [Fact]
    public void F1_optimal_confidence_is_picked()
    {
        // Cumulative F1 by confidence: 0.9 → 2/4, 0.8 → 2/5, 0.6 → 4/6, 0.3 → 4/7.
        Assert.True(D.ConfidenceIsF1Optimal);
        Assert.Equal(0.6, D.ConfidenceThreshold);
        Assert.Equal(new OutcomeCounts(2, 1, 1), D.Overall);
        Assert.Equal(4.0 / 6.0, D.Overall.F1, 12);
    }

    [Fact]
    public void Counts_per_class_and_image()
    {
        Assert.Equal(new OutcomeCounts(2, 1, 0), D.Classes[0].Counts);
        Assert.Equal(new OutcomeCounts(0, 0, 1), D.Classes[1].Counts);
        Assert.Equal(2.0 / 3.0, D.Classes[0].Precision, 12);
        Assert.Equal(new ImageOutcome(1, "a.jpg", 2, 1, 1), D.Images[0]);
        Assert.Equal(new ImageOutcome(2, "b.jpg", 0, 0, 0), D.Images[1]); // the detection on the crowd is ignored
    }

    [Fact]
    public void Given_confidence_is_used()
    {
        var d = DetectionDiagnostics.Compute(Scene(), new DiagnosticsOptions { ConfidenceThreshold = 0.0 });
        Assert.False(d.ConfidenceIsF1Optimal);
        Assert.Equal(new OutcomeCounts(2, 2, 1), d.Overall);
        Assert.Equal(4.0 / 7.0, d.Overall.F1, 12);
    }

    [Fact]
    public void Pr_curve_and_confidence_sweep()
    {
        Assert.Equal([(1 / 3.0, 1.0), (1 / 3.0, 0.5), (2 / 3.0, 2 / 3.0), (2 / 3.0, 0.5)], D.PrCurve.Select(p => (p.Recall, p.Precision)));
        var at70 = D.ConfidenceSweep.Single(p => Math.Abs(p.Threshold - 0.7) < 1e-9); // d1, d2 kept
        Assert.Equal(0.5, at70.Precision, 12);
        Assert.Equal(1 / 3.0, at70.Recall, 12);
    }

    [Fact]
    public void F1_falls_when_iou_threshold_passes_the_shifted_match()
    {
        // d3 has IoU 0.818: a hit up to 0.80, a miss from 0.85 on (then TP 1, FP 2, FN 2: F1 = 2 / (2 + 2 + 2)).
        Assert.Equal(4.0 / 6.0, D.IouSweep.Single(p => Math.Abs(p.Threshold - 0.8) < 1e-9).F1, 12);
        Assert.Equal(1.0 / 3.0, D.IouSweep.Single(p => Math.Abs(p.Threshold - 0.85) < 1e-9).F1, 12);
    }

    [Fact]
    public void Confusion_matrix_and_confused_pairs()
    {
        // At confidence 0.6: d1→A and d3→C (class 1 as class 1), d2→B (class 2 called class 1).
        Assert.Equal(["class_1", "class_2", "background"], D.Confusion.Labels);
        Assert.Equal(2, D.Confusion[0, 0]);
        Assert.Equal(1, D.Confusion[1, 0]);
        Assert.Equal(0, D.Confusion[2, 1]);
        var pair = Assert.Single(D.ConfusedPairs);
        Assert.Equal(new ConfusedPair("class_2", "class_1", 1, 1.0), pair);
        Assert.Equal(3, D.LocalizedMatches);
        Assert.Equal(2.0 / 3.0, D.ClassificationAccuracy, 12);
    }

    [Fact]
    public void Background_row_and_column()
    {
        // At confidence 0: d4 (class 2) overlaps nothing → background row; nothing leaves a ground truth unmatched.
        var d = DetectionDiagnostics.Compute(Scene(), new DiagnosticsOptions { ConfidenceThreshold = 0.0 });
        Assert.Equal(1, d.Confusion[2, 1]);
        var high = DetectionDiagnostics.Compute(Scene(), new DiagnosticsOptions { ConfidenceThreshold = 0.85 });
        Assert.Equal(1, high.Confusion[0, 2]); // C unmatched
        Assert.Equal(1, high.Confusion[1, 2]); // B unmatched
    }

    [Fact]
    public void Iou_of_true_positives()
    {
        Assert.Equal((1 + (90.0 / 110.0)) / 2, D.MeanTpIou, 12);
        Assert.Equal(2, D.TpIouHistogram.Sum(b => b.Count));
        Assert.Equal(1, D.TpIouHistogram[^1].Count); // IoU 1 lands in the last bin
    }

    [Fact]
    public void Calibration_errors()
    {
        // Bins 0.9 (hit), 0.8 (miss), 0.6 (hit), 0.3 (miss): ECE = (0.1 + 0.8 + 0.4 + 0.3) / 4, MCE = 0.8.
        Assert.Equal(0.4, D.Calibration.Ece, 12);
        Assert.Equal(0.8, D.Calibration.Mce, 12);
        Assert.Equal(1, D.Calibration.Bins[9].Count);
        Assert.Equal(1.0, D.Calibration.Bins[9].Accuracy);
    }

    [Fact]
    public void Confidence_profile_of_hits_and_misses()
    {
        Assert.Equal(1, D.TpConfidence[18].Count); // 0.9
        Assert.Equal(1, D.TpConfidence[12].Count); // 0.6
        Assert.Equal(1, D.FpConfidence[16].Count); // 0.8
        Assert.Equal(1, D.FpConfidence[6].Count);  // 0.3
        Assert.Equal(2, D.FpConfidence.Sum(b => b.Count));
    }

    internal static CocoResults Scene()
    {
        var gt = CocoDataset.Create(
            [new CocoImage(1, 100, 100, "a.jpg"), new CocoImage(2, 100, 100, "b.jpg")],
            [new CocoCategory(1, "class_1"), new CocoCategory(2, "class_2")],
            [
                new CocoAnnotation(1, 1, 1, new CocoBox(0, 0, 10, 10), 100),
                new CocoAnnotation(2, 1, 2, new CocoBox(50, 50, 10, 10), 100),
                new CocoAnnotation(3, 1, 1, new CocoBox(20, 20, 10, 10), 100),
                new CocoAnnotation(4, 2, 1, new CocoBox(60, 0, 30, 30), 900, IsCrowd: true),
            ]);
        return CocoResults.Create(gt,
        [
            new CocoDetection(1, 1, 0.9, new CocoBox(0, 0, 10, 10)),
            new CocoDetection(1, 1, 0.8, new CocoBox(50, 50, 10, 10)),
            new CocoDetection(1, 1, 0.6, new CocoBox(21, 20, 10, 10)),
            new CocoDetection(1, 2, 0.3, new CocoBox(80, 80, 5, 5)),
            new CocoDetection(2, 1, 0.7, new CocoBox(65, 5, 10, 10)),
        ]);
    }
}
