using Cairn.Core.Masks;

namespace Cairn.Evaluation.Coco.Internal;

/// <summary>
/// The boundary region of Boundary IoU (Cheng et al., CVPR 2021), as boundary-iou-api's mask_to_boundary makes it:
/// the mask minus its erosion by a 3 × 3 square applied d times, d = round(0.02 × image diagonal) (at least 1), with
/// everything outside the image counted as background, so a mask cut by the image border has a boundary there.
/// </summary>
internal static class BoundaryMask
{
    /// <summary>boundary-iou-api's default dilation ratio.</summary>
    public const double DilationRatio = 0.02;

    /// <summary>Erosion steps for an image: Python's round (half to even) of the ratio times the diagonal, at least 1.</summary>
    public static int Dilation(int height, int width) =>
        Math.Max(1, (int)Math.Round(DilationRatio * Math.Sqrt(((double)height * height) + ((double)width * width)), MidpointRounding.ToEven));

    /// <summary>Run lengths (column-major, as COCO's RLE) of the boundary region of the mask <paramref name="counts"/>.</summary>
    public static uint[] Of(ReadOnlySpan<uint> counts, int height, int width)
    {
        var d = Dilation(height, width);
        var (bx, by, bw, bh) = RleOps.BoundingBox(counts, height, width);
        int x0 = (int)bx, y0 = (int)by, w = (int)bw, h = (int)bh;
        if (w == 0 || h == 0)
        {
            return [(uint)(height * width)];
        }

        // The mask within its box, column-major: outside the box everything is background, so eroding the box alone
        // (outside counted as background) gives the same pixels as eroding the whole image.
        var m = new byte[w * h];
        long pos = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            long end = pos + counts[i];
            if ((i & 1) == 1)
            {
                for (var p = pos; p < end; p++)
                {
                    var x = (int)(p / height) - x0;
                    var y = (int)(p % height) - y0;
                    m[(x * h) + y] = 1;
                }
            }

            pos = end;
        }

        // Erosion by a (2d+1)² square is a vertical then a horizontal one: a run [a, b) keeps [a + d, b - d).
        var v = new byte[w * h];
        for (var x = 0; x < w; x++)
        {
            ErodeRuns(m, x * h, 1, h, d, v);
        }

        var e = new byte[w * h];
        for (var y = 0; y < h; y++)
        {
            ErodeRuns(v, y, h, w, d, e);
        }

        // Boundary = mask and not eroded, written back as runs over the whole image.
        var result = new List<uint>();
        long last = 0;
        var inRun = false;
        long runStart = 0;
        for (var x = 0; x < w; x++)
        {
            for (var y = 0; y < h; y++)
            {
                var at = (x * h) + y;
                var on = m[at] == 1 && e[at] == 0;
                var p = ((long)(x + x0) * height) + y + y0;
                if (on && !inRun)
                {
                    result.Add((uint)(p - last));
                    runStart = p;
                    inRun = true;
                }
                else if (!on && inRun)
                {
                    result.Add((uint)(p - runStart));
                    last = p;
                    inRun = false;
                }
            }

            if (inRun && h < height)
            {
                // The next pixel in memory order lies outside the box (below it, or above it in the next column): background.
                var p = ((long)(x + x0) * height) + y0 + h;
                result.Add((uint)(p - runStart));
                last = p;
                inRun = false;
            }
        }

        if (inRun)
        {
            var p = ((long)(x0 + w - 1) * height) + y0 + h;
            result.Add((uint)(p - runStart));
            last = p;
        }

        var total = (long)height * width;
        if (last < total)
        {
            result.Add((uint)(total - last));
        }

        return [.. result];
    }

    /// <summary>Along one line of <paramref name="n"/> cells (first at <paramref name="start"/>, <paramref name="step"/> apart), sets in <paramref name="output"/> the cells of each run of ones at least <paramref name="d"/> from its ends.</summary>
    private static void ErodeRuns(byte[] input, int start, int step, int n, int d, byte[] output)
    {
        var i = 0;
        while (i < n)
        {
            if (input[start + (i * step)] == 0)
            {
                i++;
                continue;
            }

            var a = i;
            while (i < n && input[start + (i * step)] == 1)
            {
                i++;
            }

            for (var j = a + d; j < i - d; j++)
            {
                output[start + (j * step)] = 1;
            }
        }
    }
}
