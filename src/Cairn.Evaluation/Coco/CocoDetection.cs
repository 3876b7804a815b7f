namespace Cairn.Evaluation.Coco;

/// <summary>One detection result: image, category, confidence and a box and/or segmentation.</summary>
public readonly record struct CocoDetection(long ImageId, long CategoryId, double Score, CocoBox? Box, CocoSegmentation? Segmentation = null);
