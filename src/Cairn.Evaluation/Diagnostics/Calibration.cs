namespace Cairn.Evaluation.Diagnostics;

/// <summary>
/// How well confidence predicts correctness: expected calibration error (bin-size weighted mean of
/// |accuracy − confidence|), maximum calibration error (the largest gap over non-empty bins) and the bins.
/// </summary>
public sealed record Calibration(double Ece, double Mce, IReadOnlyList<CalibrationBin> Bins);
