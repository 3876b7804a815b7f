using Cairn.Core.Masks;

namespace Cairn.Core.Model;

/// <summary>The geometry of a label. Immutable; every kind can report its bounding box.</summary>
public abstract record Geometry
{
    /// <summary>The kind of this geometry.</summary>
    public abstract GeometryKind Kind { get; }

    /// <summary>Tight axis-aligned bounds (left, top, right, bottom) in pixels.</summary>
    public abstract BoxD Bounds();

    /// <summary>Area in square pixels (0 for points and polylines).</summary>
    public abstract double Area();
}

/// <summary>An axis-aligned box given by its edges in continuous pixel coordinates.</summary>
public readonly record struct BoxD(double Left, double Top, double Right, double Bottom)
{
    /// <summary>Width (never negative).</summary>
    public double Width => Math.Max(0, Right - Left);

    /// <summary>Height (never negative).</summary>
    public double Height => Math.Max(0, Bottom - Top);

    /// <summary>Creates a box from COCO's [x, y, w, h].</summary>
    public static BoxD FromXywh(double x, double y, double w, double h) => new(x, y, x + w, y + h);

    /// <summary>Smallest box holding every point.</summary>
    public static BoxD Enclosing(IEnumerable<PointD> points)
    {
        double l = double.PositiveInfinity, t = double.PositiveInfinity, r = double.NegativeInfinity, b = double.NegativeInfinity;
        foreach (var p in points)
        {
            l = Math.Min(l, p.X);
            t = Math.Min(t, p.Y);
            r = Math.Max(r, p.X);
            b = Math.Max(b, p.Y);
        }

        return double.IsPositiveInfinity(l) ? default : new BoxD(l, t, r, b);
    }
}

/// <summary>An axis-aligned rectangle.</summary>
public sealed record RectangleGeometry(BoxD Box) : Geometry
{
    /// <inheritdoc/>
    public override GeometryKind Kind => GeometryKind.Rectangle;

    /// <inheritdoc/>
    public override BoxD Bounds() => Box;

    /// <inheritdoc/>
    public override double Area() => Box.Width * Box.Height;
}

/// <summary>A polygon: one exterior ring and any number of holes. Rings are not closed (last point ≠ first).</summary>
public sealed record PolygonGeometry(IReadOnlyList<PointD> Exterior, IReadOnlyList<IReadOnlyList<PointD>> Interiors) : Geometry
{
    /// <summary>A polygon without holes.</summary>
    public PolygonGeometry(IReadOnlyList<PointD> exterior)
        : this(exterior, Array.Empty<IReadOnlyList<PointD>>())
    {
    }

    /// <inheritdoc/>
    public override GeometryKind Kind => GeometryKind.Polygon;

    /// <inheritdoc/>
    public override BoxD Bounds() => BoxD.Enclosing(Exterior);

    /// <inheritdoc/>
    public override double Area()
    {
        var area = Math.Abs(Shoelace(Exterior));
        foreach (var hole in Interiors)
        {
            area -= Math.Abs(Shoelace(hole));
        }

        return Math.Max(0, area);
    }

    /// <summary>Signed area of a ring by the shoelace formula.</summary>
    public static double Shoelace(IReadOnlyList<PointD> ring)
    {
        double sum = 0;
        for (int i = 0, n = ring.Count; i < n; i++)
        {
            var a = ring[i];
            var b = ring[(i + 1) % n];
            sum += (a.X * b.Y) - (b.X * a.Y);
        }

        return sum / 2;
    }

    /// <inheritdoc/>
    public bool Equals(PolygonGeometry? other) =>
        other is not null
        && Exterior.SequenceEqual(other.Exterior)
        && Interiors.Count == other.Interiors.Count
        && Interiors.Zip(other.Interiors).All(p => p.First.SequenceEqual(p.Second));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Exterior.Count, Interiors.Count, Exterior.Count > 0 ? Exterior[0] : default);
}

/// <summary>A bitmap mask over the whole image, stored as COCO run-length encoding (column-major).</summary>
public sealed record MaskGeometry(Rle Rle) : Geometry
{
    /// <inheritdoc/>
    public override GeometryKind Kind => GeometryKind.Mask;

    /// <inheritdoc/>
    public override BoxD Bounds() => Rle.Bounds();

    /// <inheritdoc/>
    public override double Area() => Rle.Area();
}

/// <summary>A single point.</summary>
public sealed record PointGeometry(PointD Point) : Geometry
{
    /// <inheritdoc/>
    public override GeometryKind Kind => GeometryKind.Point;

    /// <inheritdoc/>
    public override BoxD Bounds() => new(Point.X, Point.Y, Point.X, Point.Y);

    /// <inheritdoc/>
    public override double Area() => 0;
}

/// <summary>An open polyline.</summary>
public sealed record PolylineGeometry(IReadOnlyList<PointD> Points) : Geometry
{
    /// <inheritdoc/>
    public override GeometryKind Kind => GeometryKind.Polyline;

    /// <inheritdoc/>
    public override BoxD Bounds() => BoxD.Enclosing(Points);

    /// <inheritdoc/>
    public override double Area() => 0;

    /// <inheritdoc/>
    public bool Equals(PolylineGeometry? other) => other is not null && Points.SequenceEqual(other.Points);

    /// <inheritdoc/>
    public override int GetHashCode() => Points.Count;
}

/// <summary>A keypoint graph; node names and edges come from the label's class (<see cref="KeypointTemplate"/>).</summary>
public sealed record KeypointsGeometry(IReadOnlyList<Keypoint> Nodes) : Geometry
{
    /// <inheritdoc/>
    public override GeometryKind Kind => GeometryKind.Keypoints;

    /// <inheritdoc/>
    public override BoxD Bounds() => BoxD.Enclosing(Nodes.Where(n => n.Visibility > 0).Select(n => new PointD(n.X, n.Y)));

    /// <inheritdoc/>
    public override double Area() => 0;

    /// <inheritdoc/>
    public bool Equals(KeypointsGeometry? other) => other is not null && Nodes.SequenceEqual(other.Nodes);

    /// <inheritdoc/>
    public override int GetHashCode() => Nodes.Count;
}
