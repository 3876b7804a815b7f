using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Diagnostics.Internal;

namespace Cairn.Evaluation.Diagnostics;

/// <summary>
/// Everything a model report shows beyond the COCO numbers, at one IoU threshold and one confidence threshold:
/// counts, precision/recall/F1 overall, per class and per image, curves, confusion, localisation and calibration.
/// </summary>
public sealed record DetectionDiagnostics
{
    /// <summary>IoU at which a detection counts as a hit.</summary>
    public required double IouThreshold { get; init; }

    /// <summary>Confidence threshold the counts use.</summary>
    public required double ConfidenceThreshold { get; init; }

    /// <summary>True when <see cref="ConfidenceThreshold"/> was picked to maximise F1 rather than given.</summary>
    public required bool ConfidenceIsF1Optimal { get; init; }

    /// <summary>Ground truths that count (crowd regions excluded).</summary>
    public required int GroundTruths { get; init; }

    /// <summary>Overall TP/FP/FN at the thresholds.</summary>
    public required OutcomeCounts Overall { get; init; }

    /// <summary>Per class, ordered by category id.</summary>
    public required IReadOnlyList<ClassDiagnostics> Classes { get; init; }

    /// <summary>Per image, ordered by image id.</summary>
    public required IReadOnlyList<ImageOutcome> Images { get; init; }

    /// <summary>Overall precision-recall curve (all classes pooled) at the IoU threshold.</summary>
    public required IReadOnlyList<CurvePoint> PrCurve { get; init; }

    /// <summary>Precision, recall and F1 against the confidence threshold (0, 0.01, …, 1).</summary>
    public required IReadOnlyList<ThresholdPoint> ConfidenceSweep { get; init; }

    /// <summary>Precision, recall and F1 at each IoU threshold .50:.05:.95, at the chosen confidence.</summary>
    public required IReadOnlyList<ThresholdPoint> IouSweep { get; init; }

    /// <summary>Class-agnostic confusion matrix with a background row and column.</summary>
    public required ConfusionMatrix Confusion { get; init; }

    /// <summary>The most frequent (ground truth, predicted) pairs of different classes, most frequent first.</summary>
    public required IReadOnlyList<ConfusedPair> ConfusedPairs { get; init; }

    /// <summary>Histogram of the IoU of true positives.</summary>
    public required IReadOnlyList<HistogramBin> TpIouHistogram { get; init; }

    /// <summary>Mean IoU of true positives (0 when there are none).</summary>
    public required double MeanTpIou { get; init; }

    /// <summary>Detections that overlap some ground truth at the IoU threshold, whatever its class.</summary>
    public required int LocalizedMatches { get; init; }

    /// <summary>Share of <see cref="LocalizedMatches"/> that also have the right class.</summary>
    public required double ClassificationAccuracy { get; init; }

    /// <summary>Reliability of confidence over all kept detections.</summary>
    public required Calibration Calibration { get; init; }

    /// <summary>Confidence histogram of true positives (20 bins over [0, 1]).</summary>
    public required IReadOnlyList<HistogramBin> TpConfidence { get; init; }

    /// <summary>Confidence histogram of false positives (20 bins over [0, 1]).</summary>
    public required IReadOnlyList<HistogramBin> FpConfidence { get; init; }

    /// <summary>TIDE-style error breakdown at IoU 0.5 / 0.1 (absent in metrics.json files written before it existed).</summary>
    public ErrorBreakdown? Errors { get; init; }

    /// <summary>Computes the diagnostics of checked results.</summary>
    public static DetectionDiagnostics Compute(CocoResults results, DiagnosticsOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        return DiagnosticsBuilder.Build(results, options ?? new DiagnosticsOptions(), cancellationToken);
    }
}
