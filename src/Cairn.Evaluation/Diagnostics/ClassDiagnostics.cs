namespace Cairn.Evaluation.Diagnostics;

/// <summary>One class at the chosen IoU and confidence: counts, precision/recall/F1, and its precision-recall curve.</summary>
public sealed record ClassDiagnostics(long CategoryId, string Name, int GroundTruths, int Detections, OutcomeCounts Counts, IReadOnlyList<CurvePoint> PrCurve)
{
    /// <summary>Precision at the chosen confidence.</summary>
    public double Precision => Counts.Precision;

    /// <summary>Recall at the chosen confidence.</summary>
    public double Recall => Counts.Recall;

    /// <summary>F1 at the chosen confidence.</summary>
    public double F1 => Counts.F1;
}
