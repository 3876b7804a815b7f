namespace Cairn.Evaluation.Coco;

/// <summary>A category (class) of the ground truth.</summary>
/// <param name="Id">Category id.</param>
/// <param name="Name">Class name.</param>
/// <param name="Supercategory">COCO's supercategory, when given.</param>
/// <param name="Frequency">LVIS frequency group, when the file gives one: 'r' (rare), 'c' (common) or 'f' (frequent).</param>
public sealed record CocoCategory(long Id, string Name, string? Supercategory = null, char? Frequency = null);
