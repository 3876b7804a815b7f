namespace Cairn.Core.Formats;

/// <summary>
/// Options of a write: whether image bytes are copied, and whether YOLO writes polygons and masks as their bounding
/// boxes (Pascal VOC, which holds only boxes, always does).
/// </summary>
public sealed record ExportOptions(bool IncludeImages = true, bool ShapesAsBoxes = false)
{
    /// <summary>Images copied, no conversion to boxes.</summary>
    public static ExportOptions Default { get; } = new();
}
