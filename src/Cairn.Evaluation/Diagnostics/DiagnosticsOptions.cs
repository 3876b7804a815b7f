using Cairn.Evaluation.Coco;

namespace Cairn.Evaluation.Diagnostics;

/// <summary>Settings of <see cref="DetectionDiagnostics"/>.</summary>
public sealed record DiagnosticsOptions
{
    /// <summary>IoU at which a detection counts as a hit (default 0.5).</summary>
    public double IouThreshold { get; init; } = 0.5;

    /// <summary>Confidence threshold for the counts; null picks the one that maximises overall F1.</summary>
    public double? ConfidenceThreshold { get; init; }

    /// <summary>Detections kept per image and class, highest confidence first (COCO's 100).</summary>
    public int MaxDetections { get; init; } = 100;

    /// <summary>Bins of the reliability diagram.</summary>
    public int CalibrationBins { get; init; } = 10;

    /// <summary>Most points kept on each precision-recall curve (evenly spread over recall).</summary>
    public int MaxCurvePoints { get; init; } = 200;

    /// <summary>Box or mask IoU.</summary>
    public IouType IouType { get; init; } = IouType.Bbox;
}
