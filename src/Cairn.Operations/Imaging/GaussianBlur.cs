using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cairn.Operations.Imaging;

/// <summary>Separable Gaussian blur in fixed point on 256-bit vectors, borders reflected as OpenCV's BORDER_REFLECT_101.</summary>
internal static class GaussianBlur
{
    /// <summary>
    /// The 1-D kernel OpenCV uses: its fixed tables for sizes 1, 3, 5 and 7 when sigma ≤ 0,
    /// otherwise exp(-x²/2σ²) normalised, with σ = 0.3·((k−1)/2 − 1) + 0.8 when not given.
    /// </summary>
    public static double[] Kernel(int size, double sigma)
    {
        if (sigma <= 0)
        {
            switch (size)
            {
                case 1: return [1];
                case 3: return [0.25, 0.5, 0.25];
                case 5: return [0.0625, 0.25, 0.375, 0.25, 0.0625];
                case 7: return [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125];
                default: break;
            }

            sigma = (0.3 * (((size - 1) * 0.5) - 1)) + 0.8;
        }

        var k = new double[size];
        double sum = 0;
        for (var i = 0; i < size; i++)
        {
            var x = i - ((size - 1) / 2.0);
            k[i] = Math.Exp(-(x * x) / (2 * sigma * sigma));
            sum += k[i];
        }

        for (var i = 0; i < size; i++)
        {
            k[i] /= sum;
        }

        return k;
    }

    /// <summary>Weights scaled to sum exactly 256 (the rounding remainder goes to the centre tap).</summary>
    public static ushort[] Quantize(double[] kernel)
    {
        var q = new ushort[kernel.Length];
        var sum = 0;
        for (var i = 0; i < kernel.Length; i++)
        {
            q[i] = (ushort)Math.Round(kernel[i] * 256);
            sum += q[i];
        }

        q[kernel.Length / 2] = (ushort)(q[kernel.Length / 2] + 256 - sum);
        return q;
    }

    /// <summary>Blurs <paramref name="src"/> into a new image with a square kernel of odd size.</summary>
    public static RgbaImage Apply(RgbaImage src, int size, double sigma)
    {
        var weights = Quantize(Kernel(size, sigma));
        return Apply(src, weights, weights);
    }

    /// <summary>Blurs with separate horizontal and vertical weight vectors (each odd-length, summing to 256).</summary>
    public static RgbaImage Apply(RgbaImage src, ReadOnlySpan<ushort> wx, ReadOnlySpan<ushort> wy)
    {
        int w = src.Width, h = src.Height, n = w * 4;
        int rx = wx.Length / 2, ry = wy.Length / 2, ky = wy.Length;
        var dst = new RgbaImage(w, h);
        var pad = ArrayPool<byte>.Shared.Rent(((w + (2 * rx)) * 4) + 64);
        var ring = ArrayPool<ushort>.Shared.Rent((ky * (n + 32)) + 32);
        try
        {
            var stride = n + 32;
            var srcBytes = src.Bytes;
            for (var j = -ry; j < ry; j++)
            {
                Horizontal(srcBytes, w, Reflect(j, h), rx, wx, pad, ring.AsSpan(Slot(j, ry, ky) * stride, stride));
            }

            var dstBytes = dst.Bytes;
            for (var y = 0; y < h; y++)
            {
                var j = y + ry;
                Horizontal(srcBytes, w, Reflect(j, h), rx, wx, pad, ring.AsSpan(Slot(j, ry, ky) * stride, stride));
                Vertical(ring, stride, y, ry, ky, wy, dstBytes.Slice(y * n, n));
            }

            Kernels.SetOpaque(dst.Pixels);
            return dst;
        }
        catch
        {
            dst.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pad);
            ArrayPool<ushort>.Shared.Return(ring);
        }
    }

    private static int Slot(int j, int r, int k) => (j + r) % k;

    private static int Reflect(int j, int n)
    {
        if (n == 1)
        {
            return 0;
        }

        while ((uint)j >= (uint)n)
        {
            j = j < 0 ? -j : (2 * n) - 2 - j;
        }

        return j;
    }

    // One source row → ushort sums with 4 fractional bits (≤ 4080).
    private static void Horizontal(ReadOnlySpan<byte> src, int w, int row, int r, ReadOnlySpan<ushort> wx, byte[] pad, Span<ushort> outRow)
    {
        var n = w * 4;
        src.Slice(row * n, n).CopyTo(pad.AsSpan(r * 4));
        for (var i = 1; i <= r; i++)
        {
            var left = Reflect(-i, w);
            var right = Reflect(w - 1 + i, w);
            src.Slice((row * n) + (left * 4), 4).CopyTo(pad.AsSpan((r - i) * 4));
            src.Slice((row * n) + (right * 4), 4).CopyTo(pad.AsSpan((r + w - 1 + i) * 4));
        }

        ref var p = ref MemoryMarshal.GetArrayDataReference(pad);
        ref var o = ref MemoryMarshal.GetReference(outRow);
        var round = Vector256.Create((ushort)8);
        for (var i = 0; i < n; i += 32)
        {
            var lo = Vector256<ushort>.Zero;
            var hi = Vector256<ushort>.Zero;
            for (var t = 0; t < wx.Length; t++)
            {
                var v = Vector256.LoadUnsafe(ref p, (nuint)(i + (4 * t)));
                var (a, b) = Vector256.Widen(v);
                var wt = Vector256.Create(wx[t]);
                lo += a * wt;
                hi += b * wt;
            }

            Vector256.ShiftRightLogical(lo + round, 4).StoreUnsafe(ref o, (nuint)i);
            Vector256.ShiftRightLogical(hi + round, 4).StoreUnsafe(ref o, (nuint)(i + 16));
        }
    }

    private static void Vertical(ushort[] ring, int stride, int y, int r, int k, ReadOnlySpan<ushort> wy, Span<byte> outRow)
    {
        var n = outRow.Length;
        ref var rg = ref MemoryMarshal.GetArrayDataReference(ring);
        Span<int> offsets = stackalloc int[k];
        for (var t = 0; t < k; t++)
        {
            offsets[t] = Slot(y - r + t, r, k) * stride;
        }

        var round = Vector256.Create(2048u);
        var full = n & ~31;
        ref var o = ref MemoryMarshal.GetReference(outRow);
        for (var i = 0; i < full; i += 32)
        {
            Vector256<uint> a0 = default, a1 = default, a2 = default, a3 = default;
            for (var t = 0; t < k; t++)
            {
                var wt = Vector256.Create((uint)wy[t]);
                var (l0, l1) = Vector256.Widen(Vector256.LoadUnsafe(ref rg, (nuint)(offsets[t] + i)));
                var (h0, h1) = Vector256.Widen(Vector256.LoadUnsafe(ref rg, (nuint)(offsets[t] + i + 16)));
                a0 += l0 * wt;
                a1 += l1 * wt;
                a2 += h0 * wt;
                a3 += h1 * wt;
            }

            var lo = Vector256.Narrow(Vector256.ShiftRightLogical(a0 + round, 12), Vector256.ShiftRightLogical(a1 + round, 12));
            var hi = Vector256.Narrow(Vector256.ShiftRightLogical(a2 + round, 12), Vector256.ShiftRightLogical(a3 + round, 12));
            Vector256.Narrow(lo, hi).StoreUnsafe(ref o, (nuint)i);
        }

        for (var i = full; i < n; i++)
        {
            uint acc = 2048;
            for (var t = 0; t < k; t++)
            {
                acc += wy[t] * (uint)ring[offsets[t] + i];
            }

            outRow[i] = (byte)Math.Min(255u, acc >> 12);
        }
    }
}
