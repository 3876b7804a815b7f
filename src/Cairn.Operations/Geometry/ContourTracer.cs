using Cairn.Core.Model;

namespace Cairn.Operations.Geometry;

/// <summary>
/// Converts a mask to polygons that follow pixel edges exactly: one polygon per 4-connected component, with its
/// holes (background 8-connected), so rasterising the polygons by pixel centres gives back the same mask.
/// </summary>
public static class ContourTracer
{
    /// <summary>Traces a column-major Height×Width 0/1 mask.</summary>
    public static List<PolygonGeometry> Trace(ReadOnlySpan<byte> columnMajor, int width, int height)
    {
        var fg = new bool[width * height];
        for (var x = 0; x < width; x++)
        {
            for (var y = 0; y < height; y++)
            {
                fg[(y * width) + x] = columnMajor[(x * height) + y] != 0;
            }
        }

        var component = Label4(fg, width, height, out var count);
        bool Fg(int x, int y) => (uint)x < (uint)width && (uint)y < (uint)height && fg[(y * width) + x];

        // Directed boundary edges with the foreground pixel on the right-hand side of travel (clockwise on screen).
        var starts = new List<long>();
        var ends = new List<long>();
        var pixels = new List<int>();
        long V(int x, int y) => ((long)y * (width + 1)) + x;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (!fg[(y * width) + x])
                {
                    continue;
                }

                var p = (y * width) + x;
                if (!Fg(x, y - 1))
                {
                    Add(V(x, y), V(x + 1, y), p);
                }

                if (!Fg(x + 1, y))
                {
                    Add(V(x + 1, y), V(x + 1, y + 1), p);
                }

                if (!Fg(x, y + 1))
                {
                    Add(V(x + 1, y + 1), V(x, y + 1), p);
                }

                if (!Fg(x - 1, y))
                {
                    Add(V(x, y + 1), V(x, y), p);
                }
            }
        }

        var byStart = new Dictionary<long, (int First, int Second)>();
        for (var e = 0; e < starts.Count; e++)
        {
            byStart[starts[e]] = byStart.TryGetValue(starts[e], out var slot) ? (slot.First, e) : (e, -1);
        }

        var used = new bool[starts.Count];
        var exteriors = new List<PointD>?[count];
        var holes = new List<List<PointD>>[count];
        for (var c = 0; c < count; c++)
        {
            holes[c] = [];
        }

        for (var e0 = 0; e0 < starts.Count; e0++)
        {
            if (used[e0])
            {
                continue;
            }

            var ring = new List<PointD>();
            var e = e0;
            while (!used[e])
            {
                used[e] = true;
                var s = starts[e];
                ring.Add(new PointD(s % (width + 1), s / (width + 1)));
                var (a, b) = byStart[ends[e]];

                // At a vertex where two pixels touch only diagonally, stay with the pixel we are walking around.
                e = b >= 0 && !used[b] && (used[a] || pixels[b] == pixels[e]) ? b : a;
            }

            var simplified = DropCollinear(ring);
            var c = component[pixels[e0]];
            if (PolygonGeometry.Shoelace(simplified) > 0)
            {
                exteriors[c] = simplified;
            }
            else
            {
                holes[c].Add(simplified);
            }
        }

        var result = new List<PolygonGeometry>(count);
        for (var c = 0; c < count; c++)
        {
            if (exteriors[c] is { } ext)
            {
                result.Add(new PolygonGeometry(ext, holes[c].Select(h => (IReadOnlyList<PointD>)h).ToList()));
            }
        }

        return result;

        void Add(long from, long to, int pixel)
        {
            starts.Add(from);
            ends.Add(to);
            pixels.Add(pixel);
        }
    }

    private static int[] Label4(bool[] fg, int width, int height, out int count)
    {
        var label = new int[fg.Length];
        Array.Fill(label, -1);
        var stack = new Stack<int>();
        var n = 0;
        for (var i = 0; i < fg.Length; i++)
        {
            if (!fg[i] || label[i] >= 0)
            {
                continue;
            }

            label[i] = n;
            stack.Push(i);
            while (stack.Count > 0)
            {
                var p = stack.Pop();
                int x = p % width, y = p / width;
                Visit(x - 1, y);
                Visit(x + 1, y);
                Visit(x, y - 1);
                Visit(x, y + 1);
            }

            n++;
        }

        count = n;
        return label;

        void Visit(int x, int y)
        {
            if ((uint)x < (uint)width && (uint)y < (uint)height)
            {
                var q = (y * width) + x;
                if (fg[q] && label[q] < 0)
                {
                    label[q] = n;
                    stack.Push(q);
                }
            }
        }
    }

    private static List<PointD> DropCollinear(List<PointD> ring)
    {
        var n = ring.Count;
        var result = new List<PointD>(n);
        for (var i = 0; i < n; i++)
        {
            var prev = ring[(i + n - 1) % n];
            var cur = ring[i];
            var next = ring[(i + 1) % n];
            var cross = ((cur.X - prev.X) * (next.Y - cur.Y)) - ((cur.Y - prev.Y) * (next.X - cur.X));
            if (cross != 0)
            {
                result.Add(cur);
            }
        }

        return result;
    }
}
