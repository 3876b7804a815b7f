namespace Cairn.Evaluation.Coco;

/// <summary>A ground-truth object: box, area (which decides its small/medium/large range), crowd flag and optional segmentation.</summary>
public sealed record CocoAnnotation(long Id, long ImageId, long CategoryId, CocoBox Box, double Area, bool IsCrowd = false, CocoSegmentation? Segmentation = null);
