namespace Cairn.Evaluation.Coco;

/// <summary>An object-area range with inclusive bounds, compared against the ground truth's <c>area</c> field.</summary>
public readonly record struct CocoAreaRange(string Label, double Min, double Max);
