using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cairn.Operations.Imaging;

/// <summary>Small per-pixel kernels shared by the augment steps and the generators.</summary>
internal static class Kernels
{
    /// <summary>Sets alpha to 255 on every pixel.</summary>
    public static void SetOpaque(Span<uint> pixels)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var a = Vector256.Create(0xFF000000u);
            ref var r = ref MemoryMarshal.GetReference(pixels);
            for (; i + 8 <= pixels.Length; i += 8)
            {
                (Vector256.LoadUnsafe(ref r, (nuint)i) | a).StoreUnsafe(ref r, (nuint)i);
            }
        }

        for (; i < pixels.Length; i++)
        {
            pixels[i] |= 0xFF000000u;
        }
    }

    /// <summary>Tests switch the vector path off to check that it gives the same bytes as the scalar one.</summary>
    internal static bool UseSimd { get; set; } = true;

    /// <summary>Applies a 256-entry table to R, G and B of every pixel (64 bytes per step with AVX-512 VBMI byte permutes).</summary>
    public static void ApplyLut(Span<uint> pixels, ReadOnlySpan<byte> lut)
    {
        ref var l = ref MemoryMarshal.GetReference(lut);
        var start = 0;
        if (UseSimd && Avx512Vbmi.IsSupported && lut.Length >= 256)
        {
            var t0 = Vector512.LoadUnsafe(ref l);
            var t1 = Vector512.LoadUnsafe(ref l, 64);
            var t2 = Vector512.LoadUnsafe(ref l, 128);
            var t3 = Vector512.LoadUnsafe(ref l, 192);
            var alpha = Vector512.Create(0xFF000000u).AsByte();
            var bytes = MemoryMarshal.AsBytes(pixels);
            ref var b = ref MemoryMarshal.GetReference(bytes);
            for (; start + 16 <= pixels.Length; start += 16)
            {
                var idx = Vector512.LoadUnsafe(ref b, (nuint)(start * 4));
                var lo = Avx512Vbmi.PermuteVar64x8x2(t0, idx, t1);
                var hi = Avx512Vbmi.PermuteVar64x8x2(t2, idx, t3);
                var high = Vector512.LessThan(idx.AsSByte(), Vector512<sbyte>.Zero).AsByte();
                (Vector512.ConditionalSelect(high, hi, lo) | alpha).StoreUnsafe(ref b, (nuint)(start * 4));
            }
        }

        for (var i = start; i < pixels.Length; i++)
        {
            var p = pixels[i];
            pixels[i] = Unsafe.Add(ref l, (int)(p & 0xFF))
                | ((uint)Unsafe.Add(ref l, (int)((p >> 8) & 0xFF)) << 8)
                | ((uint)Unsafe.Add(ref l, (int)((p >> 16) & 0xFF)) << 16)
                | 0xFF000000u;
        }
    }

    /// <summary>Builds the table of saturate(round(x·gain + offset)).</summary>
    public static byte[] LinearLut(double gain, double offset)
    {
        var lut = new byte[256];
        for (var x = 0; x < 256; x++)
        {
            lut[x] = ClampByte(Math.Round((x * gain) + offset, MidpointRounding.AwayFromZero));
        }

        return lut;
    }

    /// <summary>Rounds and saturates to 0..255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte ClampByte(double v) => v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)(v + 0.5);

    /// <summary>Saturates to 0..255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ClampInt(int v) => (uint)Math.Clamp(v, 0, 255);

    /// <summary>Fills the rectangle [x0, x1) × [y0, y1) (clipped to the image) with an opaque colour.</summary>
    public static void FillRect(RgbaImage image, int x0, int y0, int x1, int y1, uint rgba)
    {
        x0 = Math.Clamp(x0, 0, image.Width);
        x1 = Math.Clamp(x1, 0, image.Width);
        y0 = Math.Clamp(y0, 0, image.Height);
        y1 = Math.Clamp(y1, 0, image.Height);
        if (x1 <= x0)
        {
            return;
        }

        var px = image.Pixels;
        for (var y = y0; y < y1; y++)
        {
            px.Slice((y * image.Width) + x0, x1 - x0).Fill(rgba | 0xFF000000u);
        }
    }
}
