namespace Cairn.Core.Formats;

/// <summary>
/// Options of a write: whether image bytes are copied, and whether labels a box-only format cannot hold
/// (polygons, masks) are written as their bounding boxes instead of being counted as unsupported.
/// </summary>
public sealed record ExportOptions(bool IncludeImages = true, bool ShapesAsBoxes = false)
{
    /// <summary>Images copied, no conversion to boxes.</summary>
    public static ExportOptions Default { get; } = new();
}
