namespace Cairn.Evaluation.Diagnostics;

/// <summary>One bin of a reliability diagram: detections with confidence in [Lo, Hi), their mean confidence and the share that were correct.</summary>
public readonly record struct CalibrationBin(double Lo, double Hi, int Count, double MeanConfidence, double Accuracy);
