namespace Cairn.Evaluation.Reports;

/// <summary>A stage's time per batch over repeated runs, in milliseconds.</summary>
public readonly record struct StageTiming(double MeanMs, double StdMs);
