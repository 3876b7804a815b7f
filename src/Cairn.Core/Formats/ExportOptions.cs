namespace Cairn.Core.Formats;

/// <summary>
/// Options of a write: whether image bytes are copied, whether YOLO writes polygons and masks as their bounding
/// boxes (Pascal VOC, which holds only boxes, always does), and which share of the training images a YOLO export holds
/// out as val when the project has no val dataset (Ultralytics needs one, and no image may be in both).
/// </summary>
public sealed record ExportOptions(bool IncludeImages = true, bool ShapesAsBoxes = false, double ValFraction = 0.1)
{
    /// <summary>Images copied, no conversion to boxes.</summary>
    public static ExportOptions Default { get; } = new();
}
