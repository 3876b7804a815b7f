using Cairn.Core.Model;

namespace Cairn.Operations.Geometry;

/// <summary>A 2-D affine map x' = A·x + B·y + C, y' = D·x + E·y + F in continuous pixel coordinates.</summary>
public readonly record struct Affine(double A, double B, double C, double D, double E, double F)
{
    /// <summary>The identity map.</summary>
    public static Affine Identity { get; } = new(1, 0, 0, 0, 1, 0);

    /// <summary>A translation.</summary>
    public static Affine Translation(double dx, double dy) => new(1, 0, dx, 0, 1, dy);

    /// <summary>A scaling about the origin.</summary>
    public static Affine Scaling(double sx, double sy) => new(sx, 0, 0, 0, sy, 0);

    /// <summary>
    /// A rotation by <paramref name="degrees"/> about (cx, cy); positive angles turn counter-clockwise
    /// as seen on screen (y down), as OpenCV's getRotationMatrix2D.
    /// </summary>
    public static Affine Rotation(double degrees, double cx, double cy)
    {
        var r = degrees * Math.PI / 180;
        var (s, c) = Math.SinCos(r);

        // Snap exact quarter turns so 90° maps integer corners to integer corners.
        if (Math.Abs(s) < 1e-15)
        {
            s = 0;
        }

        if (Math.Abs(c) < 1e-15)
        {
            c = 0;
        }

        return new Affine(c, s, ((1 - c) * cx) - (s * cy), -s, c, (s * cx) + ((1 - c) * cy));
    }

    /// <summary>True when this is exactly the identity.</summary>
    public bool IsIdentity => this == Identity;

    /// <summary>Maps a point.</summary>
    public PointD Apply(PointD p) => new((A * p.X) + (B * p.Y) + C, (D * p.X) + (E * p.Y) + F);

    /// <summary>The map that applies <paramref name="first"/> and then <paramref name="then"/>.</summary>
    public static Affine Compose(Affine first, Affine then) => new(
        (then.A * first.A) + (then.B * first.D),
        (then.A * first.B) + (then.B * first.E),
        (then.A * first.C) + (then.B * first.F) + then.C,
        (then.D * first.A) + (then.E * first.D),
        (then.D * first.B) + (then.E * first.E),
        (then.D * first.C) + (then.E * first.F) + then.F);

    /// <summary>Determinant of the linear part; its absolute value is the area scale.</summary>
    public double Determinant => (A * E) - (B * D);

    /// <summary>The inverse map; throws for a singular map.</summary>
    public Affine Invert()
    {
        var det = Determinant;
        if (Math.Abs(det) < 1e-300)
        {
            throw new InvalidOperationException("The affine map is singular and cannot be inverted.");
        }

        var ia = E / det;
        var ib = -B / det;
        var id = -D / det;
        var ie = A / det;
        return new Affine(ia, ib, -((ia * C) + (ib * F)), id, ie, -((id * C) + (ie * F)));
    }
}
