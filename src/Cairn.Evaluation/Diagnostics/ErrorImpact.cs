namespace Cairn.Evaluation.Diagnostics;

/// <summary>One TIDE error type: how often it happens and the AP gained (0 to 1) when all of it is fixed.</summary>
/// <param name="Type">cls, loc, both, dupe, bkg or missed.</param>
/// <param name="Count">False positives (missed: ground truths) of this type.</param>
/// <param name="DeltaAp">AP with these errors fixed minus <see cref="ErrorBreakdown.Ap"/>.</param>
public sealed record ErrorImpact(string Type, int Count, double DeltaAp);
