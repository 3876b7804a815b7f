using Cairn.Core.Model;

namespace Cairn.Core.Formats.Internal;

/// <summary>Lower-case names of label kinds as reports and documents use them.</summary>
internal static class KindNames
{
    public static string Of(GeometryKind kind) => kind switch
    {
        GeometryKind.Rectangle => "rectangle",
        GeometryKind.Polygon => "polygon",
        GeometryKind.Mask => "mask",
        GeometryKind.Point => "point",
        GeometryKind.Polyline => "polyline",
        GeometryKind.Keypoints => "keypoints",
        _ => "any",
    };

    /// <summary>The shape a class gets from the kinds its labels use: the one kind, or Any when mixed or none.</summary>
    public static GeometryKind ShapeOf(IEnumerable<GeometryKind> used, GeometryKind whenNone)
    {
        GeometryKind? shape = null;
        foreach (var k in used)
        {
            if (shape is null)
            {
                shape = k;
            }
            else if (shape != k)
            {
                return GeometryKind.Any;
            }
        }

        return shape ?? whenNone;
    }
}
