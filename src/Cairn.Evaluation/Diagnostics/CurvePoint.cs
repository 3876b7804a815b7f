namespace Cairn.Evaluation.Diagnostics;

/// <summary>A point of a precision-recall curve, reached by keeping detections with confidence ≥ <see cref="Confidence"/>.</summary>
public readonly record struct CurvePoint(double Recall, double Precision, double Confidence);
