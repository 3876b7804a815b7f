using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Cairn.Operations.Geometry;

namespace Cairn.Operations.Imaging;

/// <summary>Affine resampling of whole images: one pass for any chain of flips, rotations, crops, resizes and shifts.</summary>
internal static class Warp
{
    /// <summary>Tests switch the vector path off to check that it gives the same bytes as the scalar one.</summary>
    internal static bool UseSimd { get; set; } = true;

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
                var x = x0;
                if (UseSimd && Avx2.IsSupported && Fits(fx, fy, stepX, stepY, x1 - x0))
                {
                    x = GatherRow(s, sw, sh, row, x0, x1, (int)fx, (int)fy, (int)stepX, (int)stepY);
                    fx += stepX * (x - x0);
                    fy += stepY * (x - x0);
                }

                for (; x < x1; x++, fx += stepX, fy += stepY)
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

    private static bool Fits(long fx, long fy, long stepX, long stepY, int n)
    {
        const long limit = int.MaxValue / 2;
        long ex = fx + (stepX * n), ey = fy + (stepY * n);
        return Math.Abs(fx) < limit && Math.Abs(fy) < limit && Math.Abs(ex) < limit && Math.Abs(ey) < limit;
    }

    // Eight pixels per step with AVX2 gathers, same integer arithmetic as the scalar loop (so the same bytes);
    // a group with any pixel near or past the border goes to the scalar path. Returns where it stopped.
    private static unsafe int GatherRow(uint* s, int sw, int sh, uint* row, int x0, int x1, int fx, int fy, int stepX, int stepY)
    {
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var vfx = Vector256.Create(fx) + (lanes * stepX);
        var vfy = Vector256.Create(fy) + (lanes * stepY);
        var dx = Vector256.Create(stepX * 8);
        var dy = Vector256.Create(stepY * 8);
        var maxX = Vector256.Create(sw - 1).AsUInt32();
        var maxY = Vector256.Create(sh - 1).AsUInt32();
        var vsw = Vector256.Create(sw);
        var m15 = Vector256.Create(15u);
        var k16 = Vector256.Create(16u);
        var k256 = Vector256.Create(256u);
        var rbMask = Vector256.Create(0xFF00FFu);
        var gMask = Vector256.Create(0xFFu);
        var rbRound = Vector256.Create(0x800080u);
        var gRound = Vector256.Create(0x80u);
        var alpha = Vector256.Create(0xFF000000u);
        var x = x0;
        for (; x + 8 <= x1; x += 8, vfx += dx, vfy += dy)
        {
            var ix = Vector256.ShiftRightArithmetic(vfx, 16);
            var iy = Vector256.ShiftRightArithmetic(vfy, 16);
            var inside = Vector256.LessThan(ix.AsUInt32(), maxX) & Vector256.LessThan(iy.AsUInt32(), maxY);
            if (!Vector256.EqualsAll(inside, Vector256<uint>.AllBitsSet))
            {
                for (var k = 0; k < 8; k++)
                {
                    row[x + k] = Scalar(s, sw, sh, fx + ((x - x0 + k) * stepX), fy + ((x - x0 + k) * stepY));
                }

                continue;
            }

            var ax = Vector256.ShiftRightLogical(vfx.AsUInt32(), 12) & m15;
            var ay = Vector256.ShiftRightLogical(vfy.AsUInt32(), 12) & m15;
            var idx = (iy * vsw) + ix;
            var p00 = Avx2.GatherVector256(s, idx.AsInt32(), 4);
            var p01 = Avx2.GatherVector256(s + 1, idx.AsInt32(), 4);
            var p10 = Avx2.GatherVector256(s + sw, idx.AsInt32(), 4);
            var p11 = Avx2.GatherVector256(s + sw + 1, idx.AsInt32(), 4);
            var w11 = ax * ay;
            var w10 = (k16 - ax) * ay;
            var w01 = ax * (k16 - ay);
            var w00 = k256 - w11 - w10 - w01;
            var rb = ((p00 & rbMask) * w00) + ((p01 & rbMask) * w01) + ((p10 & rbMask) * w10) + ((p11 & rbMask) * w11) + rbRound;
            var g = ((Vector256.ShiftRightLogical(p00, 8) & gMask) * w00) + ((Vector256.ShiftRightLogical(p01, 8) & gMask) * w01)
                + ((Vector256.ShiftRightLogical(p10, 8) & gMask) * w10) + ((Vector256.ShiftRightLogical(p11, 8) & gMask) * w11) + gRound;
            var result = (Vector256.ShiftRightLogical(rb, 8) & rbMask) | (g & Vector256.Create(0xFF00u)) | alpha;
            result.Store(row + x);
        }

        return x;
    }

    private static unsafe uint Scalar(uint* s, int sw, int sh, long fx, long fy)
    {
        var ix = (int)(fx >> 16);
        var iy = (int)(fy >> 16);
        var ax = (uint)(fx >> 12) & 15;
        var ay = (uint)(fy >> 12) & 15;
        return Blend(At(s, sw, sh, ix, iy), At(s, sw, sh, ix + 1, iy), At(s, sw, sh, ix, iy + 1), At(s, sw, sh, ix + 1, iy + 1), ax, ay);
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
