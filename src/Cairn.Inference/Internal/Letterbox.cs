using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cairn.Inference.Internal;

/// <summary>
/// Letterboxes an RGBA image into a CHW float tensor (RGB, /255, pad 114) in one pass: resize exactly as cv2.resize
/// INTER_LINEAR does for 8-bit images (11-bit fixed-point weights, half-pixel centres), then planar conversion through a
/// lookup table.
/// </summary>
internal static class Letterbox
{
    /// <summary>OpenCV's INTER_RESIZE_COEF_BITS: weights are scaled by 2^11.</summary>
    private const int CoefBits = 11;
    private const int CoefScale = 1 << CoefBits;
    private const byte PadValue = 114;

    /// <summary>value / 255f for every byte, exactly as torch's <c>im.float() / 255</c> computes it in float32.</summary>
    private static readonly float[] Normalized = BuildTable();

    /// <summary>Fills <paramref name="chw"/> (3 × target height × target width) from RGBA pixels laid out with <paramref name="rowBytes"/> per row.</summary>
    public static void Apply(ReadOnlySpan<byte> rgba, int rowBytes, in LetterboxTransform t, Span<float> chw)
    {
        var plane = t.TargetWidth * t.TargetHeight;
        if (chw.Length < 3 * plane)
        {
            throw new ArgumentException($"Tensor slice holds {chw.Length} floats, expected {3 * plane}.", nameof(chw));
        }

        var r = chw[..plane];
        var g = chw.Slice(plane, plane);
        var b = chw.Slice(2 * plane, plane);
        FillPadding(r, g, b, in t);
        if (t.Resizes)
        {
            Resize(rgba, rowBytes, in t, r, g, b);
        }
        else
        {
            Copy(rgba, rowBytes, in t, r, g, b);
        }
    }

    private static void FillPadding(Span<float> r, Span<float> g, Span<float> b, in LetterboxTransform t)
    {
        var pad = Normalized[PadValue];
        var w = t.TargetWidth;
        if (t.PadLeft == 0 && t.PadRight == 0 && t.PadTop == 0 && t.PadBottom == 0)
        {
            return;
        }

        for (var y = 0; y < t.TargetHeight; y++)
        {
            var row = y * w;
            if (y < t.PadTop || y >= t.PadTop + t.ResizedHeight)
            {
                r.Slice(row, w).Fill(pad);
                g.Slice(row, w).Fill(pad);
                b.Slice(row, w).Fill(pad);
                continue;
            }

            r.Slice(row, t.PadLeft).Fill(pad);
            g.Slice(row, t.PadLeft).Fill(pad);
            b.Slice(row, t.PadLeft).Fill(pad);
            var right = t.PadLeft + t.ResizedWidth;
            r.Slice(row + right, w - right).Fill(pad);
            g.Slice(row + right, w - right).Fill(pad);
            b.Slice(row + right, w - right).Fill(pad);
        }
    }

    private static void Copy(ReadOnlySpan<byte> rgba, int rowBytes, in LetterboxTransform t, Span<float> r, Span<float> g, Span<float> b)
    {
        for (var y = 0; y < t.SourceHeight; y++)
        {
            var offset = ((y + t.PadTop) * t.TargetWidth) + t.PadLeft;
            RgbaRowToPlanes(
                rgba.Slice(y * rowBytes, t.SourceWidth * 4), r.Slice(offset, t.SourceWidth), g.Slice(offset, t.SourceWidth), b.Slice(offset, t.SourceWidth));
        }
    }

    /// <summary>
    /// Splits one RGBA row into R, G, B planes divided by 255, four pixels per step: a byte shuffle groups the channels,
    /// two widenings make them int32, and a float division gives the same IEEE result as the scalar <c>v / 255f</c>.
    /// </summary>
    internal static void RgbaRowToPlanes(ReadOnlySpan<byte> src, Span<float> dr, Span<float> dg, Span<float> db)
    {
        var n = dr.Length;
        if (src.Length < 4 * n || dg.Length < n || db.Length < n)
        {
            throw new ArgumentException("Row and planes differ in length.", nameof(src));
        }

        var x = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var channels = Vector128.Create((byte)0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
            var scale = Vector128.Create(255f);
            ref var s0 = ref MemoryMarshal.GetReference(src);
            ref var r0 = ref MemoryMarshal.GetReference(dr);
            ref var g0 = ref MemoryMarshal.GetReference(dg);
            ref var b0 = ref MemoryMarshal.GetReference(db);
            for (; x <= n - 4; x += 4)
            {
                var planar = Vector128.Shuffle(Vector128.LoadUnsafe(ref s0, (nuint)(x * 4)), channels);
                var rg = Vector128.WidenLower(planar);
                var ba = Vector128.WidenUpper(planar);
                (Vector128.ConvertToSingle(Vector128.WidenLower(rg).AsInt32()) / scale).StoreUnsafe(ref r0, (nuint)x);
                (Vector128.ConvertToSingle(Vector128.WidenUpper(rg).AsInt32()) / scale).StoreUnsafe(ref g0, (nuint)x);
                (Vector128.ConvertToSingle(Vector128.WidenLower(ba).AsInt32()) / scale).StoreUnsafe(ref b0, (nuint)x);
            }
        }

        ref var table = ref MemoryMarshal.GetArrayDataReference(Normalized);
        for (; x < n; x++)
        {
            dr[x] = Unsafe.Add(ref table, src[4 * x]);
            dg[x] = Unsafe.Add(ref table, src[(4 * x) + 1]);
            db[x] = Unsafe.Add(ref table, src[(4 * x) + 2]);
        }
    }

    /// <summary>
    /// cv2.resize(INTER_LINEAR) for 8-bit images, bit for bit (modules/imgproc/src/resize.cpp: HResizeLinear with 11-bit
    /// weights, then the vectorised vertical pass VResizeLinearVec_32s8u that every SIMD build of OpenCV runs).
    /// </summary>
    private static void Resize(ReadOnlySpan<byte> rgba, int rowBytes, in LetterboxTransform t, Span<float> r, Span<float> g, Span<float> b)
    {
        int sw = t.SourceWidth, sh = t.SourceHeight, dw = t.ResizedWidth, dh = t.ResizedHeight;
        var xofs = ArrayPool<int>.Shared.Rent(dw);
        var alpha = ArrayPool<short>.Shared.Rent(2 * dw);

        // Two horizontally resized source rows, each as three planes of dw values (R, G, B), so the vertical pass and the
        // conversion to float run straight along memory.
        var rows = ArrayPool<int>.Shared.Rent(2 * 3 * dw);
        try
        {
            Coefficients(sw, dw, xofs, alpha);
            int off0 = 0, off1 = 3 * dw;
            int have0 = -1, have1 = -1;
            var scaleY = 1.0 / ((double)dh / sh);
            for (var dy = 0; dy < dh; dy++)
            {
                // Rows, unlike columns, keep their weights at the edges: OpenCV clips the row index only (resize.cpp,
                // resizeGeneric_), so the first and last rows blend a row with itself, which rounds differently.
                var fy = (float)(((dy + 0.5) * scaleY) - 0.5);
                var y0 = (int)MathF.Floor(fy);
                fy -= y0;
                var sy = Math.Clamp(y0, 0, sh - 1);
                var sy1 = Math.Clamp(y0 + 1, 0, sh - 1);
                var beta0 = SaturateShort((1f - fy) * CoefScale);
                var beta1 = SaturateShort(fy * CoefScale);

                // Keep the two source rows the last output row used, as OpenCV's ring buffer does.
                if (have0 != sy)
                {
                    if (have1 == sy)
                    {
                        (off0, off1) = (off1, off0);
                        (have0, have1) = (have1, have0);
                    }
                    else
                    {
                        HorizontalRow(rgba.Slice(sy * rowBytes, sw * 4), xofs, alpha, rows.AsSpan(off0, 3 * dw), dw);
                        have0 = sy;
                    }
                }

                if (have1 != sy1)
                {
                    HorizontalRow(rgba.Slice(sy1 * rowBytes, sw * 4), xofs, alpha, rows.AsSpan(off1, 3 * dw), dw);
                    have1 = sy1;
                }

                var offset = ((dy + t.PadTop) * t.TargetWidth) + t.PadLeft;
                VerticalRow(rows.AsSpan(off0, dw), rows.AsSpan(off1, dw), beta0, beta1, r.Slice(offset, dw));
                VerticalRow(rows.AsSpan(off0 + dw, dw), rows.AsSpan(off1 + dw, dw), beta0, beta1, g.Slice(offset, dw));
                VerticalRow(rows.AsSpan(off0 + (2 * dw), dw), rows.AsSpan(off1 + (2 * dw), dw), beta0, beta1, b.Slice(offset, dw));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(xofs);
            ArrayPool<short>.Shared.Return(alpha);
            ArrayPool<int>.Shared.Return(rows);
        }
    }

    /// <summary>Source column and the two 11-bit weights for every output column (resize.cpp, the INTER_LINEAR setup).</summary>
    internal static void Coefficients(int sourceSize, int destSize, Span<int> offsets, Span<short> weights)
    {
        var scale = 1.0 / ((double)destSize / sourceSize);
        for (var dx = 0; dx < destSize; dx++)
        {
            var fx = (float)(((dx + 0.5) * scale) - 0.5);
            var sx = (int)MathF.Floor(fx);
            fx -= sx;
            if (sx < 0)
            {
                fx = 0;
                sx = 0;
            }

            if (sx >= sourceSize - 1)
            {
                fx = 0;
                sx = sourceSize - 1;
            }

            offsets[dx] = sx;
            weights[2 * dx] = SaturateShort((1f - fx) * CoefScale);
            weights[(2 * dx) + 1] = SaturateShort(fx * CoefScale);
        }
    }

    /// <summary>One source row resized horizontally into three planes (R, G, B) of <paramref name="width"/> values scaled by 2^11.</summary>
    private static void HorizontalRow(ReadOnlySpan<byte> src, int[] xofs, short[] alpha, Span<int> dst, int width)
    {
        var last = (src.Length / 4) - 1;
        var dr = dst[..width];
        var dg = dst.Slice(width, width);
        var db = dst.Slice(2 * width, width);
        for (var dx = 0; dx < width; dx++)
        {
            var sx = xofs[dx];
            var s0 = sx * 4;
            var s1 = Math.Min(sx + 1, last) * 4;
            int a0 = alpha[2 * dx], a1 = alpha[(2 * dx) + 1];
            dr[dx] = (src[s0] * a0) + (src[s1] * a1);
            dg[dx] = (src[s0 + 1] * a0) + (src[s1 + 1] * a1);
            db[dx] = (src[s0 + 2] * a0) + (src[s1 + 2] * a1);
        }
    }

    /// <summary>
    /// Blends two horizontally resized planes into one output row and divides by 255, <see cref="Vector{T}"/> lanes at a
    /// time. The int32 lanes compute exactly what OpenCV's int16 lanes do: every intermediate is non-negative and the
    /// shifted rows stay below 2^15, so neither the pack nor the high-half multiply loses anything the scalar form keeps.
    /// </summary>
    private static void VerticalRow(ReadOnlySpan<int> s0, ReadOnlySpan<int> s1, short b0, short b1, Span<float> dst)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vb0 = new Vector<int>(b0);
            var vb1 = new Vector<int>(b1);
            var two = new Vector<int>(2);
            var max = new Vector<int>(255);
            var scale = new Vector<float>(255f);
            for (; x <= dst.Length - Vector<int>.Count; x += Vector<int>.Count)
            {
                var a = Vector.ShiftRightArithmetic(Vector.ShiftRightArithmetic(new Vector<int>(s0[x..]), 4) * vb0, 16);
                var c = Vector.ShiftRightArithmetic(Vector.ShiftRightArithmetic(new Vector<int>(s1[x..]), 4) * vb1, 16);
                var v = Vector.Min(Vector.Max(Vector.ShiftRightArithmetic(a + c + two, 2), Vector<int>.Zero), max);
                (Vector.ConvertToSingle(v) / scale).CopyTo(dst[x..]);
            }
        }

        ref var table = ref MemoryMarshal.GetArrayDataReference(Normalized);
        for (; x < dst.Length; x++)
        {
            dst[x] = Unsafe.Add(ref table, Vertical(s0[x], s1[x], b0, b1));
        }
    }

    /// <summary>
    /// OpenCV's vectorised vertical blend: rows (scaled by 2^11) are shifted down by 4 to fit int16, multiplied by the
    /// 11-bit weights keeping the high 16 bits (v_mul_hi), summed, then rounded down by 2 bits (v_rshr_pack_u&lt;2&gt;).
    /// It differs from the exact (s0·b0 + s1·b1 + 2^21) &gt;&gt; 22 by one level on about one value in ten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Vertical(int s0, int s1, short b0, short b1)
    {
        var v = ((((s0 >> 4) * b0) >> 16) + (((s1 >> 4) * b1) >> 16) + 2) >> 2;
        return (byte)Math.Clamp(v, 0, 255);
    }

    /// <summary>OpenCV's saturate_cast&lt;short&gt;(float): round half to even, then clamp.</summary>
    private static short SaturateShort(float v) => (short)Math.Clamp(MathF.Round(v, MidpointRounding.ToEven), short.MinValue, short.MaxValue);

    private static float[] BuildTable()
    {
        var table = new float[256];
        for (var i = 0; i < 256; i++)
        {
            table[i] = i / 255f;
        }

        return table;
    }
}
