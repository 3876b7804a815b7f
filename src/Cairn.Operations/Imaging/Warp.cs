using System.Runtime.CompilerServices;
using Cairn.Operations.Geometry;

namespace Cairn.Operations.Imaging;

/// <summary>Affine resampling of whole images: one pass for any chain of flips, rotations, crops, resizes and shifts.</summary>
internal static class Warp
{
    /// <summary>
    /// Fills dst's rectangle [x0, x1) × [y0, y1) with src mapped by <paramref name="forward"/> (source → destination,
    /// continuous coordinates), sampling bilinearly at 1/16 pixel; pixels that fall outside the source are black.
    /// </summary>
    public static unsafe void Bilinear(RgbaImage src, RgbaImage dst, Affine forward, int x0, int y0, int x1, int y1)
    {
        var inv = forward.Invert();
        int sw = src.Width, sh = src.Height, dw = dst.Width;

        // Source index coordinates of destination pixel (x, y): inv applied to its centre, minus the half pixel.
        var cx = (inv.A * 0.5) + (inv.B * 0.5) + inv.C - 0.5;
        var cy = (inv.D * 0.5) + (inv.E * 0.5) + inv.F - 0.5;
        var stepX = (long)Math.Round(inv.A * 65536);
        var stepY = (long)Math.Round(inv.D * 65536);
        fixed (uint* s = src.Pixels)
        fixed (uint* d = dst.Pixels)
        {
            for (var y = y0; y < y1; y++)
            {
                // 16.16 fixed point, pre-rounded to the 1/16 sampling grid.
                var fx = (long)Math.Round(((inv.A * x0) + (inv.B * y) + cx) * 65536) + 2048;
                var fy = (long)Math.Round(((inv.D * x0) + (inv.E * y) + cy) * 65536) + 2048;
                var row = d + (y * dw);
                for (var x = x0; x < x1; x++, fx += stepX, fy += stepY)
                {
                    var ix = (int)(fx >> 16);
                    var iy = (int)(fy >> 16);
                    var ax = (uint)(fx >> 12) & 15;
                    var ay = (uint)(fy >> 12) & 15;
                    uint p00, p01, p10, p11;
                    if ((uint)ix < (uint)(sw - 1) && (uint)iy < (uint)(sh - 1))
                    {
                        var q = s + (iy * sw) + ix;
                        p00 = q[0];
                        p01 = q[1];
                        p10 = q[sw];
                        p11 = q[sw + 1];
                    }
                    else
                    {
                        p00 = At(s, sw, sh, ix, iy);
                        p01 = At(s, sw, sh, ix + 1, iy);
                        p10 = At(s, sw, sh, ix, iy + 1);
                        p11 = At(s, sw, sh, ix + 1, iy + 1);
                    }

                    row[x] = Blend(p00, p01, p10, p11, ax, ay);
                }
            }
        }
    }

    /// <summary>Nearest-neighbour warp of a column-major 0/1 mask (index x·height + y); pixels whose centres fall outside <paramref name="clip"/> stay 0.</summary>
    public static byte[] NearestMask(ReadOnlySpan<byte> src, int sw, int sh, Affine forward, int dw, int dh, Cairn.Core.Model.BoxD clip)
    {
        var inv = forward.Invert();
        var dst = new byte[dw * dh];
        int x0 = Math.Max(0, (int)Math.Ceiling(clip.Left - 0.5)), x1 = Math.Min(dw, (int)Math.Ceiling(clip.Right - 0.5));
        int y0 = Math.Max(0, (int)Math.Ceiling(clip.Top - 0.5)), y1 = Math.Min(dh, (int)Math.Ceiling(clip.Bottom - 0.5));
        for (var x = x0; x < x1; x++)
        {
            for (var y = y0; y < y1; y++)
            {
                var u = (inv.A * (x + 0.5)) + (inv.B * (y + 0.5)) + inv.C;
                var v = (inv.D * (x + 0.5)) + (inv.E * (y + 0.5)) + inv.F;
                var ix = (int)Math.Floor(u);
                var iy = (int)Math.Floor(v);
                if ((uint)ix < (uint)sw && (uint)iy < (uint)sh)
                {
                    dst[(x * dh) + y] = src[(ix * sh) + iy];
                }
            }
        }

        return dst;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe uint At(uint* s, int w, int h, int x, int y) =>
        (uint)x < (uint)w && (uint)y < (uint)h ? s[(y * w) + x] : 0u;

    // Two channels per 32-bit word, 16 bits apart: weights sum to 256, so each lane stays below 2^16.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Blend(uint p00, uint p01, uint p10, uint p11, uint ax, uint ay)
    {
        var w11 = ax * ay;
        var w10 = (16 - ax) * ay;
        var w01 = ax * (16 - ay);
        var w00 = 256 - w11 - w10 - w01;
        var rb = ((p00 & 0xFF00FF) * w00) + ((p01 & 0xFF00FF) * w01) + ((p10 & 0xFF00FF) * w10) + ((p11 & 0xFF00FF) * w11) + 0x800080;
        var g = (((p00 >> 8) & 0xFF) * w00) + (((p01 >> 8) & 0xFF) * w01) + (((p10 >> 8) & 0xFF) * w10) + (((p11 >> 8) & 0xFF) * w11) + 0x80;
        return ((rb >> 8) & 0xFF00FF) | (g & 0xFF00) | 0xFF000000u;
    }
}
