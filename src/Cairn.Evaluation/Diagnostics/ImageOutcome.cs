namespace Cairn.Evaluation.Diagnostics;

/// <summary>Counts for one image at the chosen IoU and confidence.</summary>
public sealed record ImageOutcome(long ImageId, string FileName, int Tp, int Fp, int Fn);
