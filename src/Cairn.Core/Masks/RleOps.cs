using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cairn.Core.Masks;

/// <summary>
/// Mask operations on COCO run-length counts that reproduce pycocotools' maskApi.c bit for bit:
/// polygon rasterisation (rleFrPoly), merge, area, bounding box (rleToBbox) and IoU (rleIou).
/// Span-based so evaluation hot paths allocate little.
/// </summary>
public static class RleOps
{
    [ThreadStatic]
    private static uint[]? t_decodeBuffer;

    [ThreadStatic]
    private static int[]? t_polygonX;

    [ThreadStatic]
    private static int[]? t_polygonY;

    [ThreadStatic]
    private static int[]? t_polygonU;

    [ThreadStatic]
    private static int[]? t_polygonV;

    [ThreadStatic]
    private static uint[]? t_polygonA;

    /// <summary>Rasterises one polygon (x0, y0, x1, y1, …) exactly as pycocotools' frPyObjects / rleFrPoly.</summary>
    public static Rle FromPolygon(ReadOnlySpan<double> xy, int height, int width) =>
        new(height, width, PolygonCounts(xy, height, width));

    /// <summary>Rasterises several polygons and unions them, as pycocotools' annToRLE does for a polygon segmentation.</summary>
    public static Rle FromPolygons(IReadOnlyList<double[]> polygons, int height, int width)
    {
        if (polygons.Count == 1)
        {
            return FromPolygon(polygons[0], height, width);
        }

        var parts = new Rle[polygons.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = FromPolygon(polygons[i], height, width);
        }

        return Merge(parts, intersect: false);
    }

    /// <summary>The mask of a COCO box [x, y, w, h], as pycocotools' rleFrBbox (a four-corner polygon).</summary>
    public static Rle FromBox(double x, double y, double w, double h, int height, int width)
    {
        double xe = x + w, ye = y + h;
        Span<double> xy = [x, y, x, ye, xe, ye, xe, y];
        return FromPolygon(xy, height, width);
    }

    /// <summary>Run-length counts of one polygon, as rleFrPoly (upsampled by 5, boundary walked, then downsampled).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint[] PolygonCounts(ReadOnlySpan<double> xy, int height, int width)
    {
        const double scale = 5;
        var k = xy.Length / 2;
        long h = height, w = width;
        // Scratch from per-thread buffers: every evaluated polygon needs five arrays as long as its upsampled
        // outline, and the segm evaluation rasterises tens of thousands of them.
        var x = Scratch(ref t_polygonX, k + 1);
        var y = Scratch(ref t_polygonY, k + 1);
        for (var j = 0; j < k; j++)
        {
            x[j] = (int)(scale * xy[j * 2] + .5);
        }

        x[k] = x[0];
        for (var j = 0; j < k; j++)
        {
            y[j] = (int)(scale * xy[(j * 2) + 1] + .5);
        }

        y[k] = y[0];
        long m = 0;
        for (var j = 0; j < k; j++)
        {
            m += Math.Max(Math.Abs(x[j] - x[j + 1]), Math.Abs(y[j] - y[j + 1])) + 1;
        }

        var u = Scratch(ref t_polygonU, checked((int)m));
        var v = Scratch(ref t_polygonV, (int)m);
        var q = 0;
        for (var j = 0; j < k; j++)
        {
            int xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
            var dx = Math.Abs(xe - xs);
            var dy = Math.Abs(ys - ye);
            var flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if (flip)
            {
                (xs, xe) = (xe, xs);
                (ys, ye) = (ye, ys);
            }

            var s = dx >= dy ? (double)(ye - ys) / dx : (double)(xe - xs) / dy;
            if (dx >= dy)
            {
                for (var d = 0; d <= dx; d++)
                {
                    var t = flip ? dx - d : d;
                    u[q] = t + xs;
                    v[q] = (int)(ys + (s * t) + .5);
                    q++;
                }
            }
            else
            {
                for (var d = 0; d <= dy; d++)
                {
                    var t = flip ? dy - d : d;
                    v[q] = t + ys;
                    u[q] = (int)(xs + (s * t) + .5);
                    q++;
                }
            }
        }

        // Points along the y-boundary, downsampled.
        var kk = q;
        var a = Scratch(ref t_polygonA, kk + 1);
        var n = 0;
        for (var j = 1; j < kk; j++)
        {
            if (u[j] == u[j - 1])
            {
                continue;
            }

            double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
            xd = ((xd + .5) / scale) - .5;
            if (Math.Floor(xd) != xd || xd < 0 || xd > w - 1)
            {
                continue;
            }

            double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
            yd = ((yd + .5) / scale) - .5;
            if (yd < 0)
            {
                yd = 0;
            }
            else if (yd > h)
            {
                yd = h;
            }

            yd = Math.Ceiling(yd);
            a[n++] = unchecked((uint)(((int)xd * (int)h) + (int)yd));
        }

        a[n++] = unchecked((uint)(h * w));
        a[..n].Sort();
        uint p = 0;
        for (var j = 0; j < n; j++)
        {
            var t = a[j];
            a[j] -= p;
            p = t;
        }

        // Merge zero-length runs into their neighbours, in place (the write position never passes the read one).
        var bi = 1;
        var ai = 1;
        while (ai < n)
        {
            if (a[ai] > 0)
            {
                a[bi++] = a[ai++];
            }
            else
            {
                ai++;
                if (ai < n)
                {
                    a[bi - 1] += a[ai++];
                }
            }
        }

        return a[..bi].ToArray();
    }

    // A per-thread buffer of at least the given length (its contents are whatever the last use left).
    private static Span<T> Scratch<T>(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer = new T[Math.Max(length, 1024)];
        }

        return buffer.AsSpan(0, length);
    }

    /// <summary>Union (or intersection) of masks of one size, as pycocotools' rleMerge; masks of differing sizes give an empty 0×0 mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Rle Merge(IReadOnlyList<Rle> masks, bool intersect)
    {
        ArgumentNullException.ThrowIfNull(masks);
        if (masks.Count == 0)
        {
            return new Rle(0, 0, []);
        }

        int h = masks[0].Height, w = masks[0].Width;
        if (masks.Count == 1)
        {
            return masks[0];
        }

        var cnts = (uint[])masks[0].Counts.Clone();
        var m = cnts.Length;
        for (var i = 1; i < masks.Count; i++)
        {
            var bMask = masks[i];
            if (bMask.Height != h || bMask.Width != w)
            {
                return new Rle(0, 0, []);
            }

            var aCounts = cnts.AsSpan(0, m).ToArray();
            var bCounts = bMask.Counts;
            var outCounts = new uint[aCounts.Length + bCounts.Length + 2];
            uint ca = aCounts.Length > 0 ? aCounts[0] : 0, cb = bCounts.Length > 0 ? bCounts[0] : 0;
            bool v = false, va = false, vb = false;
            m = 0;
            int ai = 1, bi = 1;
            uint cc = 0, ct = 1;
            while (ct > 0)
            {
                var c = Math.Min(ca, cb);
                cc += c;
                ct = 0;
                ca -= c;
                if (ca == 0 && ai < aCounts.Length)
                {
                    ca = aCounts[ai++];
                    va = !va;
                }

                ct += ca;
                cb -= c;
                if (cb == 0 && bi < bCounts.Length)
                {
                    cb = bCounts[bi++];
                    vb = !vb;
                }

                ct += cb;
                var vp = v;
                v = intersect ? va && vb : va || vb;
                if (v != vp || ct == 0)
                {
                    outCounts[m++] = cc;
                    cc = 0;
                }
            }

            cnts = outCounts;
        }

        return new Rle(h, w, cnts.AsSpan(0, m).ToArray());
    }

    /// <summary>Foreground pixel count as pycocotools' rleArea (32-bit unsigned, like the C code).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint Area(ReadOnlySpan<uint> counts)
    {
        uint a = 0;
        for (var j = 1; j < counts.Length; j += 2)
        {
            a += counts[j];
        }

        return a;
    }

    /// <summary>The COCO box [x, y, w, h] of a mask, as pycocotools' toBbox (rleToBbox).</summary>
    /// <remarks>
    /// Walks the runs keeping the current (column, row) instead of dividing every cumulative count by the height as
    /// the C code does; inputs where the C code's unsigned arithmetic wraps go to <see cref="BoundingBoxReference"/>.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double X, double Y, double W, double H) BoundingBox(ReadOnlySpan<uint> counts, int height, int width)
    {
        var m = counts.Length / 2 * 2;
        if (m == 0)
        {
            return (0, 0, 0, 0);
        }

        if (height <= 0 || width < 0)
        {
            return BoundingBoxReference(counts, height, width);
        }

        ulong h = (uint)height;
        ulong xs = (uint)width, ys = h, xe = 0, ye = 0, xp = 0, col = 0, row = 0, cc = 0;
        for (var j = 0; j < m; j++)
        {
            ulong c = counts[j];
            cc += c;
            row += c;
            if (row >= h)
            {
                if (row < 2 * h)
                {
                    row -= h;
                    col++;
                }
                else
                {
                    col += row / h;
                    row %= h;
                }
            }

            ulong x, y;
            if ((j & 1) == 0)
            {
                x = col;
                y = row;
                xp = x;
            }
            else
            {
                if (cc == 0)
                {
                    return BoundingBoxReference(counts, height, width);
                }

                (x, y) = row == 0 ? (col - 1, h - 1) : (col, row - 1);
                if (xp < x)
                {
                    ys = 0;
                    ye = h - 1;
                }
            }

            xs = Math.Min(xs, x);
            xe = Math.Max(xe, x);
            ys = Math.Min(ys, y);
            ye = Math.Max(ye, y);
        }

        if (cc > uint.MaxValue)
        {
            return BoundingBoxReference(counts, height, width);
        }

        return (xs, ys, xe - xs + 1, ye - ys + 1);
    }

    /// <summary>rleToBbox transliterated (32-bit unsigned arithmetic, two divisions per run): the reference for <see cref="BoundingBox"/>.</summary>
    internal static (double X, double Y, double W, double H) BoundingBoxReference(ReadOnlySpan<uint> counts, int height, int width)
    {
        uint h = (uint)height, w = (uint)width;
        var m = counts.Length / 2 * 2;
        if (m == 0)
        {
            return (0, 0, 0, 0);
        }

        uint xs = w, ys = h, xe = 0, ye = 0, cc = 0, xp = 0;
        unchecked
        {
            for (var j = 0; j < m; j++)
            {
                cc += counts[j];
                var t = cc - (uint)(j % 2);
                var y = t % h;
                var x = (t - y) / h;
                if (j % 2 == 0)
                {
                    xp = x;
                }
                else if (xp < x)
                {
                    ys = 0;
                    ye = h - 1;
                }

                xs = Math.Min(xs, x);
                xe = Math.Max(xe, x);
                ys = Math.Min(ys, y);
                ye = Math.Max(ye, y);
            }

            return (xs, ys, xe - xs + 1, ye - ys + 1);
        }
    }

    /// <summary>
    /// Intersection over union of two masks of the same size, as the exact part of pycocotools' rleIou;
    /// with <paramref name="crowd"/> the union is the first mask's area. Callers check sizes first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Iou(ReadOnlySpan<uint> dt, ReadOnlySpan<uint> gt, bool crowd)
    {
        if (dt.Length == 0 || gt.Length == 0)
        {
            return 0;
        }

        uint ca = dt[0], cb = gt[0], i = 0, u = 0, ct = 1;
        bool va = false, vb = false;
        int a = 1, b = 1, ka = dt.Length, kb = gt.Length;
        unchecked
        {
            while (ct > 0)
            {
                var c = Math.Min(ca, cb);
                if (va || vb)
                {
                    u += c;
                    if (va && vb)
                    {
                        i += c;
                    }
                }

                ct = 0;
                ca -= c;
                if (ca == 0 && a < ka)
                {
                    ca = dt[a++];
                    va = !va;
                }

                ct += ca;
                cb -= c;
                if (cb == 0 && b < kb)
                {
                    cb = gt[b++];
                    vb = !vb;
                }

                ct += cb;
            }
        }

        if (i == 0)
        {
            u = 1;
        }
        else if (crowd)
        {
            u = Area(dt);
        }

        return (double)i / u;
    }

    /// <summary>Box IoU exactly as pycocotools' bbIou; boxes are [x, y, w, h]; with <paramref name="crowd"/> the union is the detection's area.</summary>
    public static double BoxIou(double dx, double dy, double dw, double dh, double gx, double gy, double gw, double gh, bool crowd)
    {
        var w = Math.Min(dw + dx, gw + gx) - Math.Max(dx, gx);
        if (w <= 0)
        {
            return 0;
        }

        var h = Math.Min(dh + dy, gh + gy) - Math.Max(dy, gy);
        if (h <= 0)
        {
            return 0;
        }

        var i = w * h;
        var da = dw * dh;
        var u = crowd ? da : da + (gw * gh) - i;
        return i / u;
    }

    /// <summary>
    /// Decodes pycocotools' compressed counts string straight from UTF-8 bytes (rleFrString) and checks that
    /// the counts cover height × width pixels; on failure <paramref name="error"/> says what is wrong.
    /// </summary>
    public static bool TryDecodeCompressed(ReadOnlySpan<byte> s, int height, int width, out uint[] counts, out string error) =>
        TryDecodeCompressedCounts(s, out counts, out error) && (CheckSize(counts, height, width, out error) || Fail(out counts));

    /// <summary>The same decoding and check over a string's characters (annotation documents keep masks as strings).</summary>
    public static bool TryDecodeCompressed(ReadOnlySpan<char> s, int height, int width, out uint[] counts, out string error) =>
        TryDecodeCompressedCounts(s, out counts, out error) && (CheckSize(counts, height, width, out error) || Fail(out counts));

    /// <summary>Checks that run lengths add up to height × width.</summary>
    public static bool CheckSize(ReadOnlySpan<uint> counts, int height, int width, out string error)
    {
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }

        if (total != (long)height * width)
        {
            error = $"RLE counts sum to {total}, expected height×width = {(long)height * width} ({height}×{width})";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Decodes pycocotools' compressed counts string (rleFrString) from UTF-8 bytes without checking the total.</summary>
    public static bool TryDecodeCompressedCounts(ReadOnlySpan<byte> s, out uint[] counts, out string error) => TryDecodeCounts(s, out counts, out error);

    /// <summary>Decodes pycocotools' compressed counts string (rleFrString) from characters without checking the total.</summary>
    public static bool TryDecodeCompressedCounts(ReadOnlySpan<char> s, out uint[] counts, out string error) => TryDecodeCounts(s, out counts, out error);

    private static bool Fail(out uint[] c)
    {
        c = [];
        return false;
    }

    /// <summary>
    /// Decodes pycocotools' compressed counts string from UTF-8 bytes into <paramref name="destination"/> (which
    /// needs room for <c>s.Length</c> counts: a count takes at least one character) and checks that the counts
    /// cover height × width pixels. For callers that decode many masks into one reused buffer.
    /// </summary>
    public static bool TryDecodeCompressed(ReadOnlySpan<byte> s, int height, int width, Span<uint> destination, out int count, out string error)
    {
        if (destination.Length < s.Length)
        {
            throw new ArgumentException($"the destination holds {destination.Length} counts; a string of {s.Length} characters may need {s.Length}", nameof(destination));
        }

        if (!DecodeInto(s, destination, out count, out error))
        {
            return false;
        }

        if (!CheckSize(destination[..count], height, width, out error))
        {
            count = 0;
            return false;
        }

        return true;
    }

    private static bool TryDecodeCounts<T>(ReadOnlySpan<T> s, out uint[] counts, out string error)
        where T : unmanaged, IBinaryInteger<T>
    {
        // A per-thread scratch buffer rather than ArrayPool: decoding runs half a million times while the heap
        // fills with kept masks, and the pool's trimming on every gen-2 collection showed in profiles.
        if (s.Length > (t_decodeBuffer?.Length ?? 0))
        {
            t_decodeBuffer = new uint[Math.Max(s.Length, 4096)];
        }

        if (!DecodeInto(s, t_decodeBuffer, out var m, out error))
        {
            return Fail(out counts);
        }

        counts = t_decodeBuffer.AsSpan(0, m).ToArray();
        return true;
    }

    // Generic over the code unit so bytes (JSON readers) and chars (strings) share one decoder; the JIT compiles
    // one specialised copy per value type, so the byte path costs what it did before. The buffer holds s.Length.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool DecodeInto<T>(ReadOnlySpan<T> s, Span<uint> buffer, out int count, out string error)
        where T : unmanaged, IBinaryInteger<T>
    {
        count = 0;
        var m = 0;
        var p = 0;
        while (p < s.Length)
        {
            long x = 0;
            var k = 0;
            var more = true;
            while (more)
            {
                if (p >= s.Length)
                {
                    error = "compressed RLE string ends inside a count";
                    return false;
                }

                var c = long.CreateTruncating(s[p]) - 48;
                if (c is < 0 or > 63)
                {
                    error = $"compressed RLE string has an invalid character '{(char)int.CreateTruncating(s[p])}' at offset {p}";
                    return false;
                }

                if (k > 12)
                {
                    error = "compressed RLE string has a count that is too long";
                    return false;
                }

                x |= (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0)
                {
                    x |= -1L << (5 * k);
                }
            }

            if (m > 2)
            {
                x += buffer[m - 2];
            }

            if (x is < 0 or > uint.MaxValue)
            {
                error = $"compressed RLE string decodes to an invalid count {x} at run {m}";
                return false;
            }

            buffer[m++] = (uint)x;
        }

        count = m;
        error = string.Empty;
        return true;
    }
}
