namespace Cairn.Evaluation.Reports;

/// <summary>What was evaluated: the ground truth (with its fingerprint) and the detections.</summary>
public sealed record DatasetInfo(
    string GroundTruthPath,
    string GroundTruthFingerprint,
    int Images,
    int Categories,
    int Annotations,
    string DetectionsPath,
    int Detections);
