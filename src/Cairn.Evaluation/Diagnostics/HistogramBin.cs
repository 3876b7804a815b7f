namespace Cairn.Evaluation.Diagnostics;

/// <summary>A histogram bin [Lo, Hi) (the last bin includes Hi).</summary>
public readonly record struct HistogramBin(double Lo, double Hi, int Count);
