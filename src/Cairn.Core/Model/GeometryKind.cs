namespace Cairn.Core.Model;

/// <summary>The shape a label's geometry takes; a class declares the one its labels use.</summary>
public enum GeometryKind
{
    /// <summary>Any shape (a class that mixes shapes).</summary>
    Any = 0,

    /// <summary>Axis-aligned box.</summary>
    Rectangle = 1,

    /// <summary>Polygon with optional holes.</summary>
    Polygon = 2,

    /// <summary>Bitmap mask, run-length encoded.</summary>
    Mask = 3,

    /// <summary>Single point.</summary>
    Point = 4,

    /// <summary>Open polyline.</summary>
    Polyline = 5,

    /// <summary>Keypoint graph (nodes and edges defined by the class).</summary>
    Keypoints = 6,
}
