namespace Cairn.Evaluation.Reports;

/// <summary>Numbers for one class in metrics.json: COCO AP/AR and, when diagnostics ran, counts at the chosen thresholds.</summary>
public sealed record ClassMetrics(
    long Id,
    double Ap,
    double Ap50,
    double Ap75,
    double Ar100,
    int GroundTruths,
    int Detections,
    int Tp,
    int Fp,
    int Fn,
    double Precision,
    double Recall,
    double F1);
