using Cairn.Core.Model;

namespace Cairn.Operations.Geometry;

/// <summary>Clipping of rings and polylines to an axis-aligned rectangle.</summary>
public static class Clipping
{
    /// <summary>
    /// Sutherland–Hodgman clip of a closed ring to <paramref name="rect"/>. Exact for the area of any simple ring
    /// (the window is convex); a concave ring cut into several parts comes back as one ring joined along the border.
    /// </summary>
    public static List<PointD> ClipRing(IReadOnlyList<PointD> ring, BoxD rect)
    {
        var current = new List<PointD>(ring);
        for (var edge = 0; edge < 4 && current.Count > 0; edge++)
        {
            var input = current;
            current = new List<PointD>(input.Count + 4);
            var prev = input[^1];
            var prevIn = Inside(prev, rect, edge);
            foreach (var p in input)
            {
                var pIn = Inside(p, rect, edge);
                if (pIn != prevIn)
                {
                    current.Add(Intersect(prev, p, rect, edge));
                }

                if (pIn)
                {
                    current.Add(p);
                }

                prev = p;
                prevIn = pIn;
            }
        }

        return RemoveDuplicates(current);
    }

    /// <summary>Clips an open polyline to <paramref name="rect"/> (Liang–Barsky per segment); a line that leaves and re-enters becomes several pieces.</summary>
    public static List<List<PointD>> ClipPolyline(IReadOnlyList<PointD> points, BoxD rect)
    {
        var pieces = new List<List<PointD>>();
        List<PointD>? piece = null;
        for (var i = 0; i + 1 < points.Count; i++)
        {
            if (!ClipSegment(points[i], points[i + 1], rect, out var a, out var b))
            {
                piece = null;
                continue;
            }

            if (piece is null || piece[^1] != a)
            {
                piece = [a];
                pieces.Add(piece);
            }

            piece.Add(b);
            if (b != points[i + 1])
            {
                piece = null;
            }
        }

        if (points.Count == 1 && Contains(rect, points[0]))
        {
            pieces.Add([points[0]]);
        }

        return pieces;
    }

    /// <summary>True when the point lies in the closed rectangle.</summary>
    public static bool Contains(BoxD rect, PointD p) => p.X >= rect.Left && p.X <= rect.Right && p.Y >= rect.Top && p.Y <= rect.Bottom;

    /// <summary>The intersection of two boxes (zero-sized when they do not overlap).</summary>
    public static BoxD Intersect(BoxD a, BoxD b)
    {
        var l = Math.Max(a.Left, b.Left);
        var t = Math.Max(a.Top, b.Top);
        var r = Math.Min(a.Right, b.Right);
        var btm = Math.Min(a.Bottom, b.Bottom);
        return r <= l || btm <= t ? new BoxD(l, t, l, t) : new BoxD(l, t, r, btm);
    }

    /// <summary>Length of a polyline.</summary>
    public static double Length(IReadOnlyList<PointD> points)
    {
        double sum = 0;
        for (var i = 0; i + 1 < points.Count; i++)
        {
            sum += Math.Sqrt(Sq(points[i + 1].X - points[i].X) + Sq(points[i + 1].Y - points[i].Y));
        }

        return sum;
    }

    private static double Sq(double v) => v * v;

    private static bool ClipSegment(PointD p0, PointD p1, BoxD r, out PointD a, out PointD b)
    {
        double t0 = 0, t1 = 1;
        var dx = p1.X - p0.X;
        var dy = p1.Y - p0.Y;
        ReadOnlySpan<double> ps = [-dx, dx, -dy, dy];
        ReadOnlySpan<double> qs = [p0.X - r.Left, r.Right - p0.X, p0.Y - r.Top, r.Bottom - p0.Y];
        for (var i = 0; i < 4; i++)
        {
            if (ps[i] == 0)
            {
                if (qs[i] < 0)
                {
                    a = b = default;
                    return false;
                }

                continue;
            }

            var t = qs[i] / ps[i];
            if (ps[i] < 0)
            {
                t0 = Math.Max(t0, t);
            }
            else
            {
                t1 = Math.Min(t1, t);
            }
        }

        if (t0 > t1)
        {
            a = b = default;
            return false;
        }

        a = t0 == 0 ? p0 : new PointD(p0.X + (t0 * dx), p0.Y + (t0 * dy));
        b = t1 == 1 ? p1 : new PointD(p0.X + (t1 * dx), p0.Y + (t1 * dy));
        return true;
    }

    private static bool Inside(PointD p, BoxD r, int edge) => edge switch
    {
        0 => p.X >= r.Left,
        1 => p.X <= r.Right,
        2 => p.Y >= r.Top,
        _ => p.Y <= r.Bottom,
    };

    private static PointD Intersect(PointD a, PointD b, BoxD r, int edge)
    {
        if (edge < 2)
        {
            var x = edge == 0 ? r.Left : r.Right;
            var t = (x - a.X) / (b.X - a.X);
            return new PointD(x, a.Y + (t * (b.Y - a.Y)));
        }

        var y = edge == 2 ? r.Top : r.Bottom;
        var s = (y - a.Y) / (b.Y - a.Y);
        return new PointD(a.X + (s * (b.X - a.X)), y);
    }

    private static List<PointD> RemoveDuplicates(List<PointD> ring)
    {
        var result = new List<PointD>(ring.Count);
        foreach (var p in ring)
        {
            if (result.Count == 0 || result[^1] != p)
            {
                result.Add(p);
            }
        }

        while (result.Count > 1 && result[0] == result[^1])
        {
            result.RemoveAt(result.Count - 1);
        }

        return result;
    }
}
