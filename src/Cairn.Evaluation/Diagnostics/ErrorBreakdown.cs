namespace Cairn.Evaluation.Diagnostics;

/// <summary>
/// TIDE-style error breakdown (Bolya et al., ECCV 2020): every false positive and missed object at the foreground IoU
/// put in one error type, and for each type the AP gained when an oracle fixes all errors of that type alone.
/// </summary>
/// <param name="ForegroundIou">IoU at which a detection is a hit (TIDE's 0.5).</param>
/// <param name="BackgroundIou">IoU below which a detection overlaps nothing (TIDE's 0.1).</param>
/// <param name="Ap">The AP the gains are measured from: mean over classes with objects of the 101-point AP at <paramref name="ForegroundIou"/>.</param>
/// <param name="Errors">The six types in a fixed order: cls, loc, both, dupe, bkg, missed.</param>
public sealed record ErrorBreakdown(double ForegroundIou, double BackgroundIou, double Ap, IReadOnlyList<ErrorImpact> Errors);
