namespace Cairn.Evaluation.Coco;

/// <summary>A category (class) of the ground truth.</summary>
public sealed record CocoCategory(long Id, string Name, string? Supercategory = null);
