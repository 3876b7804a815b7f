using Cairn.Core.Masks;
using Cairn.Core.Model;

namespace Cairn.Operations.Geometry;

/// <summary>Fills polygons (with holes, even–odd) into column-major masks: a pixel is inside when its centre is.</summary>
public static class Rasterizer
{
    /// <summary>Rasterises rings (exterior and holes together, even–odd) into a new column-major Height×Width mask.</summary>
    public static byte[] Fill(IEnumerable<IReadOnlyList<PointD>> rings, int width, int height)
    {
        var mask = new byte[width * height];
        Fill(rings, width, height, mask);
        return mask;
    }

    /// <summary>Sets to 1 the pixels of <paramref name="mask"/> (column-major) whose centres the rings enclose.</summary>
    public static void Fill(IEnumerable<IReadOnlyList<PointD>> rings, int width, int height, Span<byte> mask)
    {
        foreach (var (y, x0, x1) in Spans(rings, width, height))
        {
            for (var i = x0; i < x1; i++)
            {
                mask[(i * height) + y] = 1;
            }
        }
    }

    /// <summary>The covered pixels as row spans (y, x0, x1 exclusive), clipped to the image; even–odd over all rings.</summary>
    public static List<(int Y, int X0, int X1)> Spans(IEnumerable<IReadOnlyList<PointD>> rings, int width, int height)
    {
        var spans = new List<(int, int, int)>();
        var edges = new List<(PointD A, PointD B)>();
        double top = double.PositiveInfinity, bottom = double.NegativeInfinity;
        foreach (var ring in rings)
        {
            for (var i = 0; i < ring.Count; i++)
            {
                var a = ring[i];
                var b = ring[(i + 1) % ring.Count];
                if (a.Y != b.Y)
                {
                    edges.Add((a, b));
                    top = Math.Min(top, Math.Min(a.Y, b.Y));
                    bottom = Math.Max(bottom, Math.Max(a.Y, b.Y));
                }
            }
        }

        if (edges.Count == 0)
        {
            return spans;
        }

        var xs = new List<double>();
        var j0 = Math.Max(0, (int)Math.Floor(top - 0.5));
        var j1 = Math.Min(height - 1, (int)Math.Ceiling(bottom - 0.5));
        for (var j = j0; j <= j1; j++)
        {
            var y = j + 0.5;
            xs.Clear();
            foreach (var (a, b) in edges)
            {
                if ((a.Y <= y && y < b.Y) || (b.Y <= y && y < a.Y))
                {
                    xs.Add(a.X + ((y - a.Y) * (b.X - a.X) / (b.Y - a.Y)));
                }
            }

            xs.Sort();
            for (var k = 0; k + 1 < xs.Count; k += 2)
            {
                var i0 = Math.Max(0, (int)Math.Ceiling(xs[k] - 0.5));
                var i1 = Math.Min(width, (int)Math.Ceiling(xs[k + 1] - 0.5));
                if (i1 > i0)
                {
                    spans.Add((j, i0, i1));
                }
            }
        }

        return spans;
    }

    /// <summary>The mask of a polygon as COCO RLE over a Width×Height image.</summary>
    public static Rle ToRle(PolygonGeometry polygon, int width, int height) =>
        Rle.Encode(Fill([polygon.Exterior, .. polygon.Interiors], width, height), height, width);
}
