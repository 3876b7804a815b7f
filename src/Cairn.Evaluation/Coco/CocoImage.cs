namespace Cairn.Evaluation.Coco;

/// <summary>An image of the ground truth: its id, size in pixels and file name.</summary>
public sealed record CocoImage(long Id, int Width, int Height, string FileName = "");
