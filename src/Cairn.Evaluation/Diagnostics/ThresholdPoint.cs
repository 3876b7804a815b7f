namespace Cairn.Evaluation.Diagnostics;

/// <summary>Precision, recall and F1 when keeping detections at or above a threshold (a confidence or an IoU).</summary>
public readonly record struct ThresholdPoint(double Threshold, double Precision, double Recall, double F1);
