using Cairn.Core.Model;

namespace Cairn.Core.Formats.Supervisely;

/// <summary>Supervisely shape and tag type names.</summary>
internal static class SlyShapes
{
    public static string Name(GeometryKind kind) => kind switch
    {
        GeometryKind.Rectangle => "rectangle",
        GeometryKind.Polygon => "polygon",
        GeometryKind.Mask => "bitmap",
        GeometryKind.Point => "point",
        GeometryKind.Polyline => "line",
        GeometryKind.Keypoints => "graph",
        _ => "any",
    };

    public static GeometryKind? Parse(string name) => name switch
    {
        "rectangle" => GeometryKind.Rectangle,
        "polygon" => GeometryKind.Polygon,
        "bitmap" => GeometryKind.Mask,
        "point" => GeometryKind.Point,
        "line" or "polyline" => GeometryKind.Polyline,
        "graph" => GeometryKind.Keypoints,
        "any" or "any_geometry" => GeometryKind.Any,
        _ => null,
    };

    public static string TagType(TagValueType t) => t switch
    {
        TagValueType.AnyString => "any_string",
        TagValueType.AnyNumber => "any_number",
        TagValueType.OneOf => "oneof_string",
        _ => "none",
    };

    public static TagValueType? ParseTagType(string name) => name switch
    {
        "none" => TagValueType.None,
        "any_string" => TagValueType.AnyString,
        "any_number" => TagValueType.AnyNumber,
        "oneof_string" => TagValueType.OneOf,
        _ => null,
    };
}
