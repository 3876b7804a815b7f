namespace Cairn.Evaluation.Voc;

/// <summary>PASCAL VOC result for one class: AP, counts, and the cumulative precision/recall per ranked detection.</summary>
public sealed record VocClassResult(string ClassName, double Ap, int GroundTruths, int TruePositives, int FalsePositives, IReadOnlyList<double> Precision, IReadOnlyList<double> Recall);
