using System.Text.Json.Serialization;
using Cairn.Core.Masks;
using Cairn.Core.Model;
using Cairn.Operations.Geometry;

namespace Cairn.Operations.Annotations;

/// <summary>
/// Converts label geometries of the given classes (all when empty) to <see cref="To"/>:
/// to Rectangle from any kind (its bounds; points and empty shapes are left as they are),
/// to Mask from rectangles and polygons (rasterised by pixel centres),
/// to Polygon from rectangles and masks (exact pixel-edge contours; a mask of several parts becomes several labels).
/// Other kinds are left unchanged.
/// </summary>
public sealed record ConvertShape : AnnotationOp
{
    /// <summary>The target kind: Rectangle, Polygon or Mask.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<GeometryKind>))]
    public GeometryKind To { get; init; } = GeometryKind.Rectangle;

    /// <summary>Classes to convert; empty means all.</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];

    /// <inheritdoc/>
    public override (ProjectMeta? Meta, string? Error) ApplyMeta(ProjectMeta meta)
    {
        if (To is not (GeometryKind.Rectangle or GeometryKind.Polygon or GeometryKind.Mask))
        {
            return (null, $"convertShape: cannot convert to {To}; expected Rectangle, Polygon or Mask");
        }

        var missing = Classes.FirstOrDefault(n => meta.FindClass(n) is null);
        if (missing is not null)
        {
            return (null, $"convertShape: class '{missing}' does not exist");
        }

        return (meta with
        {
            Classes = meta.Classes.Select(c => Selected(c.Name) && Converts(c.Shape) ? c with { Shape = To } : c).ToList(),
        }, null);
    }

    /// <inheritdoc/>
    public override Annotation Apply(Annotation annotation, ProjectMeta meta)
    {
        var labels = new List<Label>(annotation.Labels.Count);
        foreach (var label in annotation.Labels)
        {
            if (!Selected(label.ClassName))
            {
                labels.Add(label);
                continue;
            }

            labels.AddRange(Convert(label, annotation.Width, annotation.Height));
        }

        return annotation with { Labels = labels };
    }

    private bool Selected(string name) => Classes.Count == 0 || Classes.Contains(name);

    private bool Converts(GeometryKind from) => from == To || To switch
    {
        GeometryKind.Rectangle => from is GeometryKind.Polygon or GeometryKind.Mask or GeometryKind.Polyline or GeometryKind.Keypoints,
        GeometryKind.Mask => from is GeometryKind.Rectangle or GeometryKind.Polygon,
        _ => from is GeometryKind.Rectangle or GeometryKind.Mask,
    };

    private IEnumerable<Label> Convert(Label label, int width, int height)
    {
        var g = label.Geometry;
        switch (To)
        {
            case GeometryKind.Rectangle when g is not RectangleGeometry and not PointGeometry:
            {
                var b = g.Bounds();
                return b.Width > 0 || b.Height > 0 ? [label with { Geometry = new RectangleGeometry(b) }] : [label];
            }

            case GeometryKind.Mask when g is PolygonGeometry p:
                return [label with { Geometry = new MaskGeometry(Rasterizer.ToRle(p, width, height)) }];
            case GeometryKind.Mask when g is RectangleGeometry r:
                return [label with { Geometry = new MaskGeometry(Rasterizer.ToRle(Corners(r.Box), width, height)) }];
            case GeometryKind.Polygon when g is RectangleGeometry r:
                return [label with { Geometry = Corners(r.Box) }];
            case GeometryKind.Polygon when g is MaskGeometry m:
                return ContourTracer.Trace(m.Rle.Decode(), m.Rle.Width, m.Rle.Height).Select(poly => label with { Geometry = poly });
            default:
                return [label];
        }
    }

    private static PolygonGeometry Corners(BoxD b) =>
        new([new(b.Left, b.Top), new(b.Right, b.Top), new(b.Right, b.Bottom), new(b.Left, b.Bottom)]);
}
