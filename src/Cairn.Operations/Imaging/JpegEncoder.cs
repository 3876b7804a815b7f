using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cairn.Operations.Imaging;

/// <summary>
/// Baseline JPEG encoder (JFIF, YCbCr 4:2:0, the standard Annex K Huffman tables and IJG quality scaling), written
/// for throughput: float AAN DCT on 256-bit vectors, nonzero-coefficient bit masks for the run-length coder, one
/// 64-bit bit buffer. Skia's bundled encoder runs about 3–4× slower on this machine; the output is fully determined
/// by this code, so it is byte-identical on every platform.
/// </summary>
internal static class JpegEncoder
{
    private static readonly byte[] Natural =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    private static readonly byte[] LumaQ =
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    private static readonly byte[] ChromaQ =
    [
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    ];

    private static readonly byte[] DcLumaBits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] DcChromaBits = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    private static readonly byte[] DcValues = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    private static readonly byte[] AcLumaBits = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
    private static readonly byte[] AcChromaBits = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];

    private static readonly byte[] AcLumaValues =
    [
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08,
        0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
        0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
        0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
    ];

    private static readonly byte[] AcChromaValues =
    [
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91,
        0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
        0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
        0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4,
        0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
    ];

    private static readonly HuffTable DcLuma = new(DcLumaBits, DcValues);
    private static readonly HuffTable DcChroma = new(DcChromaBits, DcValues);
    private static readonly HuffTable AcLuma = new(AcLumaBits, AcLumaValues);
    private static readonly HuffTable AcChroma = new(AcChromaBits, AcChromaValues);

    // The DCT leaves coefficient (u, v) at index v·8 + u (transposed); this maps zigzag position → that index.
    private static readonly byte[] ZigzagTransposed = BuildZigzagTransposed();
    private static readonly Vector512<short> ZigzagLow = Vector512.Create(ZigzagTransposed.Take(32).Select(b => (short)b).ToArray());
    private static readonly Vector512<short> ZigzagHigh = Vector512.Create(ZigzagTransposed.Skip(32).Select(b => (short)b).ToArray());

    /// <summary>Tests switch the vector path off to check that it gives the same bytes as the scalar one.</summary>
    internal static bool UseSimd { get; set; } = true;

    /// <summary>Encodes the RGB channels of <paramref name="image"/> at IJG quality 1..100.</summary>
    public static byte[] Encode(RgbaImage image, int quality)
    {
        int w = image.Width, h = image.Height;
        var qy = ScaleTable(LumaQ, quality);
        var qc = ScaleTable(ChromaQ, quality);
        var my = Multipliers(qy);
        var mc = Multipliers(qc);
        var writer = new BitWriter(Math.Max(4096, w * h / 2));
        WriteHeaders(ref writer, w, h, qy, qc);

        var mcuW = (w + 15) / 16;
        var planeW = mcuW * 16;
        var yPlane = ArrayPool<float>.Shared.Rent(16 * planeW);
        var cbPlane = ArrayPool<float>.Shared.Rent(8 * planeW / 2);
        var crPlane = ArrayPool<float>.Shared.Rent(8 * planeW / 2);
        var coefs = new int[64];
        try
        {
            int dcY = 0, dcCb = 0, dcCr = 0;
            var pixels = image.Pixels;
            for (var my0 = 0; my0 < h; my0 += 16)
            {
                ConvertRows(pixels, w, h, my0, planeW, yPlane, cbPlane, crPlane);
                writer.Reserve(mcuW * 6 * 64 * 4);
                for (var mx = 0; mx < mcuW; mx++)
                {
                    var x = mx * 16;
                    EncodeBlock(ref writer, yPlane, x, planeW, my, coefs, ref dcY, DcLuma, AcLuma);
                    EncodeBlock(ref writer, yPlane, x + 8, planeW, my, coefs, ref dcY, DcLuma, AcLuma);
                    EncodeBlock(ref writer, yPlane, (8 * planeW) + x, planeW, my, coefs, ref dcY, DcLuma, AcLuma);
                    EncodeBlock(ref writer, yPlane, (8 * planeW) + x + 8, planeW, my, coefs, ref dcY, DcLuma, AcLuma);
                    EncodeBlock(ref writer, cbPlane, mx * 8, planeW / 2, mc, coefs, ref dcCb, DcChroma, AcChroma);
                    EncodeBlock(ref writer, crPlane, mx * 8, planeW / 2, mc, coefs, ref dcCr, DcChroma, AcChroma);
                }
            }

            writer.FlushFinal();
            writer.WriteByte(0xFF);
            writer.WriteByte(0xD9);
            return writer.ToArray();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(yPlane);
            ArrayPool<float>.Shared.Return(cbPlane);
            ArrayPool<float>.Shared.Return(crPlane);
            writer.Dispose();
        }
    }

    /// <summary>IJG quality scaling of a base table, clamped to 1..255 (baseline).</summary>
    internal static byte[] ScaleTable(byte[] basis, int quality)
    {
        quality = Math.Clamp(quality, 1, 100);
        var scale = quality < 50 ? 5000 / quality : 200 - (quality * 2);
        var t = new byte[64];
        for (var i = 0; i < 64; i++)
        {
            t[i] = (byte)Math.Clamp(((basis[i] * scale) + 50) / 100, 1, 255);
        }

        return t;
    }

    private static float[] Multipliers(byte[] q)
    {
        ReadOnlySpan<double> aan = [1.0, 1.387039845, 1.306562965, 1.175875602, 1.0, 0.785694958, 0.541196100, 0.275899379];
        var m = new float[64];
        for (var u = 0; u < 8; u++)
        {
            for (var v = 0; v < 8; v++)
            {
                // q is natural order: row u (vertical frequency), column v; stored transposed at v·8 + u.
                m[(v * 8) + u] = (float)(1.0 / (q[(u * 8) + v] * aan[u] * aan[v] * 8.0));
            }
        }

        return m;
    }

    private static byte[] BuildZigzagTransposed()
    {
        var z = new byte[64];
        for (var i = 0; i < 64; i++)
        {
            int n = Natural[i], u = n / 8, v = n % 8;
            z[i] = (byte)((v * 8) + u);
        }

        return z;
    }

    // 16 image rows → Y (level-shifted) at full resolution, Cb and Cr averaged over 2×2; edges replicate.
    private static void ConvertRows(ReadOnlySpan<uint> px, int w, int h, int y0, int planeW, float[] yPlane, float[] cbPlane, float[] crPlane)
    {
        for (var r = 0; r < 16; r++)
        {
            var row = px.Slice(Math.Min(y0 + r, h - 1) * w, w);
            var dst = yPlane.AsSpan(r * planeW, planeW);
            var x = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var mask = Vector256.Create(0xFFu);
                var kr = Vector256.Create(0.299f);
                var kg = Vector256.Create(0.587f);
                var kb = Vector256.Create(0.114f);
                var shift = Vector256.Create(128f);
                ref var src = ref MemoryMarshal.GetReference(row);
                ref var d = ref MemoryMarshal.GetReference(dst);
                for (; x + 8 <= w; x += 8)
                {
                    var v = Vector256.LoadUnsafe(ref src, (nuint)x);
                    var rr = Vector256.ConvertToSingle((v & mask).AsInt32());
                    var gg = Vector256.ConvertToSingle(((v >> 8) & mask).AsInt32());
                    var bb = Vector256.ConvertToSingle(((v >> 16) & mask).AsInt32());
                    ((rr * kr) + (gg * kg) + (bb * kb) - shift).StoreUnsafe(ref d, (nuint)x);
                }
            }

            for (; x < w; x++)
            {
                var p = row[x];
                dst[x] = (0.299f * (p & 0xFF)) + (0.587f * ((p >> 8) & 0xFF)) + (0.114f * ((p >> 16) & 0xFF)) - 128f;
            }

            dst[w..].Fill(dst[w - 1]);
        }

        var cw = planeW / 2;
        for (var r = 0; r < 8; r++)
        {
            var row0 = px.Slice(Math.Min(y0 + (2 * r), h - 1) * w, w);
            var row1 = px.Slice(Math.Min(y0 + (2 * r) + 1, h - 1) * w, w);
            var cb = cbPlane.AsSpan(r * cw, cw);
            var cr = crPlane.AsSpan(r * cw, cw);
            for (var cx = 0; cx < cw; cx++)
            {
                int xa = Math.Min(2 * cx, w - 1), xb = Math.Min((2 * cx) + 1, w - 1);
                uint a = row0[xa], b = row0[xb], c = row1[xa], d = row1[xb];
                var rs = ((a & 0xFF) + (b & 0xFF) + (c & 0xFF) + (d & 0xFF)) * 0.25f;
                var gs = (((a >> 8) & 0xFF) + ((b >> 8) & 0xFF) + ((c >> 8) & 0xFF) + ((d >> 8) & 0xFF)) * 0.25f;
                var bs = (((a >> 16) & 0xFF) + ((b >> 16) & 0xFF) + ((c >> 16) & 0xFF) + ((d >> 16) & 0xFF)) * 0.25f;
                cb[cx] = (-0.168736f * rs) - (0.331264f * gs) + (0.5f * bs);
                cr[cx] = (0.5f * rs) - (0.418688f * gs) - (0.081312f * bs);
            }
        }
    }

    private static void EncodeBlock(ref BitWriter writer, float[] plane, int offset, int stride, float[] mul, int[] coefs, ref int dc, HuffTable dcTable, HuffTable acTable)
    {
        Dct(plane, offset, stride, mul, coefs);
        Span<short> z = stackalloc short[64];
        ulong nonzero;
        if (UseSimd && Avx512BW.IsSupported)
        {
            // Narrow to 16 bits, reorder into zigzag with two 64-way word permutes, and take the nonzero mask at once.
            ref var c = ref MemoryMarshal.GetArrayDataReference(coefs);
            var a = Vector512.Narrow(Vector512.LoadUnsafe(ref c), Vector512.LoadUnsafe(ref c, 16));
            var b = Vector512.Narrow(Vector512.LoadUnsafe(ref c, 32), Vector512.LoadUnsafe(ref c, 48));
            var z0 = Avx512BW.PermuteVar32x16x2(a, ZigzagLow, b);
            var z1 = Avx512BW.PermuteVar32x16x2(a, ZigzagHigh, b);
            z0.CopyTo(z);
            z1.CopyTo(z[32..]);
            var zero0 = Vector512.Equals(z0, Vector512<short>.Zero).ExtractMostSignificantBits();
            var zero1 = Vector512.Equals(z1, Vector512<short>.Zero).ExtractMostSignificantBits();
            nonzero = ~(zero0 | (zero1 << 32));
        }
        else
        {
            nonzero = 0;
            for (var i = 0; i < 64; i++)
            {
                var v = coefs[ZigzagTransposed[i]];
                z[i] = (short)v;
                nonzero |= (v != 0 ? 1UL : 0UL) << i;
            }
        }

        var diff = z[0] - dc;
        dc = z[0];
        var nbits = BitLength(diff);
        writer.Put(dcTable.Code[nbits], dcTable.Length[nbits]);
        if (nbits > 0)
        {
            writer.Put((uint)(diff < 0 ? diff - 1 : diff) & ((1u << nbits) - 1), nbits);
        }

        nonzero &= ~1UL;
        var last = 0;
        while (nonzero != 0)
        {
            var i = BitOperations.TrailingZeroCount(nonzero);
            nonzero &= nonzero - 1;
            var run = i - last - 1;
            while (run > 15)
            {
                writer.Put(acTable.Code[0xF0], acTable.Length[0xF0]);
                run -= 16;
            }

            int v = z[i];
            var nb = BitLength(v);
            var sym = (run << 4) | nb;
            var bits = (uint)(v < 0 ? v - 1 : v) & ((1u << nb) - 1);
            writer.Put((acTable.Code[sym] << nb) | bits, acTable.Length[sym] + nb);
            last = i;
        }

        if (last != 63)
        {
            writer.Put(acTable.Code[0], acTable.Length[0]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BitLength(int v) => 32 - BitOperations.LeadingZeroCount((uint)Math.Abs(v));

    // Float AAN forward DCT (jfdctflt.c) on 8 columns at once, transpose, again; then quantise.
    private static void Dct(float[] plane, int offset, int stride, float[] mul, int[] coefs)
    {
        ref var p = ref MemoryMarshal.GetArrayDataReference(plane);
        var r0 = Vector256.LoadUnsafe(ref p, (nuint)offset);
        var r1 = Vector256.LoadUnsafe(ref p, (nuint)(offset + stride));
        var r2 = Vector256.LoadUnsafe(ref p, (nuint)(offset + (2 * stride)));
        var r3 = Vector256.LoadUnsafe(ref p, (nuint)(offset + (3 * stride)));
        var r4 = Vector256.LoadUnsafe(ref p, (nuint)(offset + (4 * stride)));
        var r5 = Vector256.LoadUnsafe(ref p, (nuint)(offset + (5 * stride)));
        var r6 = Vector256.LoadUnsafe(ref p, (nuint)(offset + (6 * stride)));
        var r7 = Vector256.LoadUnsafe(ref p, (nuint)(offset + (7 * stride)));
        Dct1D(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        Dct1D(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);

        ref var m = ref MemoryMarshal.GetArrayDataReference(mul);
        ref var c = ref MemoryMarshal.GetArrayDataReference(coefs);
        Quantize(r0, ref m, ref c, 0);
        Quantize(r1, ref m, ref c, 8);
        Quantize(r2, ref m, ref c, 16);
        Quantize(r3, ref m, ref c, 24);
        Quantize(r4, ref m, ref c, 32);
        Quantize(r5, ref m, ref c, 40);
        Quantize(r6, ref m, ref c, 48);
        Quantize(r7, ref m, ref c, 56);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quantize(Vector256<float> v, ref float m, ref int c, int at) =>
        Vector256.Clamp(Vector256.ConvertToInt32(Vector256.Round(v * Vector256.LoadUnsafe(ref m, (nuint)at))), Vector256.Create(-1023), Vector256.Create(1023))
            .StoreUnsafe(ref c, (nuint)at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dct1D(
        ref Vector256<float> d0, ref Vector256<float> d1, ref Vector256<float> d2, ref Vector256<float> d3,
        ref Vector256<float> d4, ref Vector256<float> d5, ref Vector256<float> d6, ref Vector256<float> d7)
    {
        var tmp0 = d0 + d7;
        var tmp7 = d0 - d7;
        var tmp1 = d1 + d6;
        var tmp6 = d1 - d6;
        var tmp2 = d2 + d5;
        var tmp5 = d2 - d5;
        var tmp3 = d3 + d4;
        var tmp4 = d3 - d4;

        var tmp10 = tmp0 + tmp3;
        var tmp13 = tmp0 - tmp3;
        var tmp11 = tmp1 + tmp2;
        var tmp12 = tmp1 - tmp2;
        d0 = tmp10 + tmp11;
        d4 = tmp10 - tmp11;
        var z1 = (tmp12 + tmp13) * Vector256.Create(0.707106781f);
        d2 = tmp13 + z1;
        d6 = tmp13 - z1;

        tmp10 = tmp4 + tmp5;
        tmp11 = tmp5 + tmp6;
        tmp12 = tmp6 + tmp7;
        var z5 = (tmp10 - tmp12) * Vector256.Create(0.382683433f);
        var z2 = (tmp10 * Vector256.Create(0.541196100f)) + z5;
        var z4 = (tmp12 * Vector256.Create(1.306562965f)) + z5;
        var z3 = tmp11 * Vector256.Create(0.707106781f);
        var z11 = tmp7 + z3;
        var z13 = tmp7 - z3;
        d5 = z13 + z2;
        d3 = z13 - z2;
        d1 = z11 + z4;
        d7 = z11 - z4;
    }

    private static void Transpose(
        ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2, ref Vector256<float> r3,
        ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7)
    {
        if (Avx.IsSupported)
        {
            var t0 = Avx.UnpackLow(r0, r1);
            var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3);
            var t3 = Avx.UnpackHigh(r2, r3);
            var t4 = Avx.UnpackLow(r4, r5);
            var t5 = Avx.UnpackHigh(r4, r5);
            var t6 = Avx.UnpackLow(r6, r7);
            var t7 = Avx.UnpackHigh(r6, r7);
            var s0 = Avx.Shuffle(t0, t2, 0x44);
            var s1 = Avx.Shuffle(t0, t2, 0xEE);
            var s2 = Avx.Shuffle(t1, t3, 0x44);
            var s3 = Avx.Shuffle(t1, t3, 0xEE);
            var s4 = Avx.Shuffle(t4, t6, 0x44);
            var s5 = Avx.Shuffle(t4, t6, 0xEE);
            var s6 = Avx.Shuffle(t5, t7, 0x44);
            var s7 = Avx.Shuffle(t5, t7, 0xEE);
            r0 = Avx.Permute2x128(s0, s4, 0x20);
            r1 = Avx.Permute2x128(s1, s5, 0x20);
            r2 = Avx.Permute2x128(s2, s6, 0x20);
            r3 = Avx.Permute2x128(s3, s7, 0x20);
            r4 = Avx.Permute2x128(s0, s4, 0x31);
            r5 = Avx.Permute2x128(s1, s5, 0x31);
            r6 = Avx.Permute2x128(s2, s6, 0x31);
            r7 = Avx.Permute2x128(s3, s7, 0x31);
            return;
        }

        Span<float> m = stackalloc float[64];
        r0.CopyTo(m);
        r1.CopyTo(m[8..]);
        r2.CopyTo(m[16..]);
        r3.CopyTo(m[24..]);
        r4.CopyTo(m[32..]);
        r5.CopyTo(m[40..]);
        r6.CopyTo(m[48..]);
        r7.CopyTo(m[56..]);
        Span<float> t = stackalloc float[64];
        for (var i = 0; i < 8; i++)
        {
            for (var j = 0; j < 8; j++)
            {
                t[(j * 8) + i] = m[(i * 8) + j];
            }
        }

        r0 = Vector256.Create<float>(t);
        r1 = Vector256.Create<float>(t[8..]);
        r2 = Vector256.Create<float>(t[16..]);
        r3 = Vector256.Create<float>(t[24..]);
        r4 = Vector256.Create<float>(t[32..]);
        r5 = Vector256.Create<float>(t[40..]);
        r6 = Vector256.Create<float>(t[48..]);
        r7 = Vector256.Create<float>(t[56..]);
    }

    private static void WriteHeaders(ref BitWriter w, int width, int height, byte[] qy, byte[] qc)
    {
        w.Reserve(1024);
        w.WriteBytes([0xFF, 0xD8]);
        w.WriteBytes([0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
        w.WriteBytes([0xFF, 0xDB, 0x00, 0x84]);
        w.WriteByte(0x00);
        for (var i = 0; i < 64; i++)
        {
            w.WriteByte(qy[Natural[i]]);
        }

        w.WriteByte(0x01);
        for (var i = 0; i < 64; i++)
        {
            w.WriteByte(qc[Natural[i]]);
        }

        w.WriteBytes([0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
        var dhtLength = 2 + (4 * 17) + DcValues.Length + DcValues.Length + AcLumaValues.Length + AcChromaValues.Length;
        w.WriteBytes([0xFF, 0xC4, (byte)(dhtLength >> 8), (byte)dhtLength]);
        WriteTable(ref w, 0x00, DcLumaBits, DcValues);
        WriteTable(ref w, 0x10, AcLumaBits, AcLumaValues);
        WriteTable(ref w, 0x01, DcChromaBits, DcValues);
        WriteTable(ref w, 0x11, AcChromaBits, AcChromaValues);
        w.WriteBytes([0xFF, 0xDA, 0x00, 0x0C, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3F, 0x00]);
    }

    private static void WriteTable(ref BitWriter w, byte id, byte[] bits, byte[] values)
    {
        w.WriteByte(id);
        w.WriteBytes(bits);
        w.WriteBytes(values);
    }

    /// <summary>Canonical Huffman codes from the JPEG (bits, values) form.</summary>
    private sealed class HuffTable
    {
        public HuffTable(byte[] bits, byte[] values)
        {
            Code = new uint[256];
            Length = new int[256];
            uint code = 0;
            var k = 0;
            for (var len = 1; len <= 16; len++)
            {
                for (var i = 0; i < bits[len - 1]; i++)
                {
                    Code[values[k]] = code;
                    Length[values[k]] = len;
                    code++;
                    k++;
                }

                code <<= 1;
            }

            if (k != values.Length)
            {
                throw new InvalidOperationException("Huffman table bit counts do not match its values.");
            }
        }

        public uint[] Code { get; }

        public int[] Length { get; }
    }

    /// <summary>Big-endian bit packer with JPEG byte stuffing (0xFF → 0xFF 0x00).</summary>
    private struct BitWriter : IDisposable
    {
        private byte[] _buffer;
        private int _pos;
        private ulong _acc;
        private int _count;

        public BitWriter(int capacity)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(capacity);
        }

        public void Reserve(int bytes)
        {
            if (_pos + bytes > _buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _pos + bytes));
                _buffer.AsSpan(0, _pos).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }
        }

        public void WriteByte(byte b) => _buffer[_pos++] = b;

        public void WriteBytes(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_buffer.AsSpan(_pos));
            _pos += bytes.Length;
        }

        // At most 32 bits per call; the accumulator never holds more than 31 bits between calls.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(uint bits, int n)
        {
            _acc = (_acc << n) | bits;
            _count += n;
            if (_count >= 32)
            {
                _count -= 32;
                var word = (uint)(_acc >> _count);
                if (!HasFF(word))
                {
                    BinaryPrimitivesWriteBig(word);
                }
                else
                {
                    Stuff((byte)(word >> 24));
                    Stuff((byte)(word >> 16));
                    Stuff((byte)(word >> 8));
                    Stuff((byte)word);
                }
            }
        }

        public void FlushFinal()
        {
            // Pad with 1-bits to a byte boundary.
            var pad = (8 - (_count % 8)) % 8;
            Put((1u << pad) - 1, pad);
            while (_count > 0)
            {
                _count -= 8;
                Stuff((byte)(_acc >> _count));
            }
        }

        public readonly byte[] ToArray() => _buffer.AsSpan(0, _pos).ToArray();

        public void Dispose()
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool HasFF(uint w)
        {
            var x = ~w;
            return ((x - 0x01010101) & ~x & 0x80808080) != 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void BinaryPrimitivesWriteBig(uint word)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_pos), word);
            _pos += 4;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Stuff(byte b)
        {
            _buffer[_pos++] = b;
            if (b == 0xFF)
            {
                _buffer[_pos++] = 0;
            }
        }
    }
}
