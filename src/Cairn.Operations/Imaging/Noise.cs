using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cairn.Operations.Imaging;

/// <summary>Additive noise kernels driven by an inline xoshiro256** state (no allocation, no virtual calls per sample).</summary>
internal static class Noise
{
    /// <summary>Tests switch the vector path off to check that it gives the same bytes as the scalar one.</summary>
    internal static bool UseSimd { get; set; } = true;

    private const int TableBits = 12;
    private const int TableSize = 1 << TableBits;

    /// <summary>Largest σ of the byte-table path (two draws of at most 2.89·σ/√2 each still fit a signed byte).</summary>
    public const double ByteTableMaxSigma = 30;

    /// <summary>
    /// Adds Gaussian noise of standard deviation σ to R, G and B, saturated. For σ ≤ 30 each sample is the sum of two
    /// independent draws from the 256 rounded quantiles of N(0, σ²/2) (scaled so the sum's deviation is σ; tails reach
    /// ±4.1σ), 64 bytes at a time with AVX-512 VBMI byte permutes; above that, one draw from 4096 quantiles of N(0, σ²).
    /// Eight xoshiro256** streams supply the bits; the vector and scalar paths draw and add identical values.
    /// </summary>
    public static void AddGaussian(Span<uint> pixels, double sigma, ulong seed)
    {
        if (sigma > ByteTableMaxSigma)
        {
            AddGaussianWide(pixels, sigma, seed);
            return;
        }

        var table = ByteTable(sigma);
        var rng = new FastRng8(seed);
        var bytes = MemoryMarshal.AsBytes(pixels);
        var i = 0;
        if (UseSimd && Avx512Vbmi.IsSupported)
        {
            ref var tb = ref MemoryMarshal.GetArrayDataReference(table);
            var t0 = Vector512.LoadUnsafe(ref tb);
            var t1 = Vector512.LoadUnsafe(ref tb, 64);
            var t2 = Vector512.LoadUnsafe(ref tb, 128);
            var t3 = Vector512.LoadUnsafe(ref tb, 192);
            var alpha = Vector512.Create(0xFF000000u).AsByte();
            ref var b = ref MemoryMarshal.GetReference(bytes);
            for (; i + 64 <= bytes.Length; i += 64)
            {
                var ra = rng.Next().AsByte();
                var rb = rng.Next().AsByte();
                var na = Vector512.ConditionalSelect(Vector512.LessThan(ra.AsSByte(), Vector512<sbyte>.Zero).AsByte(), Avx512Vbmi.PermuteVar64x8x2(t2, ra, t3), Avx512Vbmi.PermuteVar64x8x2(t0, ra, t1));
                var nb = Vector512.ConditionalSelect(Vector512.LessThan(rb.AsSByte(), Vector512<sbyte>.Zero).AsByte(), Avx512Vbmi.PermuteVar64x8x2(t2, rb, t3), Avx512Vbmi.PermuteVar64x8x2(t0, rb, t1));
                var n = na.AsSByte() + nb.AsSByte();
                var pos = Vector512.Max(n, Vector512<sbyte>.Zero).AsByte();
                var neg = Vector512.Max(-n, Vector512<sbyte>.Zero).AsByte();
                var p = Vector512.LoadUnsafe(ref b, (nuint)i);
                (Avx512BW.SubtractSaturate(Avx512BW.AddSaturate(p, pos), neg) | alpha).StoreUnsafe(ref b, (nuint)i);
            }
        }

        // Scalar: the same eight streams stepped lane by lane (software Vector512 would be ten times slower).
        Span<ulong> state = stackalloc ulong[32];
        rng.CopyStateTo(state);
        Span<ulong> la = stackalloc ulong[8];
        Span<ulong> lb = stackalloc ulong[8];
        var wa = MemoryMarshal.AsBytes(la);
        var wb = MemoryMarshal.AsBytes(lb);
        var ti = table.Select(v => (int)(sbyte)v).ToArray();
        for (var k = i / 4; k < pixels.Length; k += 16)
        {
            FastRng8.NextScalar(state, la);
            FastRng8.NextScalar(state, lb);
            for (var j = 0; j < 16 && k + j < pixels.Length; j++)
            {
                var p = pixels[k + j];
                var o = 4 * j;
                var c0 = Kernels.ClampInt((int)(p & 0xFF) + ti[wa[o]] + ti[wb[o]]);
                var c1 = Kernels.ClampInt((int)((p >> 8) & 0xFF) + ti[wa[o + 1]] + ti[wb[o + 1]]);
                var c2 = Kernels.ClampInt((int)((p >> 16) & 0xFF) + ti[wa[o + 2]] + ti[wb[o + 2]]);
                pixels[k + j] = c0 | (c1 << 8) | (c2 << 16) | 0xFF000000u;
            }
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<double, byte[]> ByteTables = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<double, int[]> WideTables = new();

    /// <summary>The 256 rounded quantiles of N(0, s²) as signed bytes, with s chosen so that the sum of two draws has deviation σ (cached per σ).</summary>
    public static byte[] ByteTable(double sigma) => ByteTables.Count < 4096 ? ByteTables.GetOrAdd(sigma, BuildByteTable) : BuildByteTable(sigma);

    private static byte[] BuildByteTable(double sigma)
    {
        static double[] Quantiles(double s) => Enumerable.Range(0, 256).Select(i => Math.Round(s * InverseNormalCdf((i + 0.5) / 256), MidpointRounding.AwayFromZero)).ToArray();
        var s = sigma / Math.Sqrt(2);
        for (var k = 0; k < 3 && sigma > 0; k++)
        {
            var q = Quantiles(s);
            var sd = Math.Sqrt(2 * q.Select(v => v * v).Average());
            if (sd > 0)
            {
                s *= sigma / sd;
            }
        }

        return Quantiles(s).Select(v => (byte)(sbyte)v).ToArray();
    }

    /// <summary>The 4096-quantile path for large σ: N(0, σ²) rounded, 12 random bits per sample, AVX2 gathers.</summary>
    private static unsafe void AddGaussianWide(Span<uint> pixels, double sigma, ulong seed)
    {
        var table = GaussianTable(sigma);
        var rng = new FastRng4(seed);
        var n = pixels.Length;
        var i = 0;
        fixed (int* t = table)
        fixed (uint* px = pixels)
        {
            if (UseSimd && Avx2.IsSupported)
            {
                var m12 = Vector256.Create(TableSize - 1);
                var m8 = Vector256.Create(0xFF);
                var alpha = Vector256.Create(unchecked((int)0xFF000000u));
                var zero = Vector256<int>.Zero;
                for (; i + 8 <= n; i += 8)
                {
                    var a = rng.NextVector().AsInt32();
                    var b = rng.NextVector().AsInt32();
                    var nr = Avx2.GatherVector256(t, a & m12, 4);
                    var ng = Avx2.GatherVector256(t, Vector256.ShiftRightLogical(a, 16) & m12, 4);
                    var nb = Avx2.GatherVector256(t, b & m12, 4);
                    var p = Vector256.Load(px + i).AsInt32();
                    var r = Vector256.Clamp((p & m8) + nr, zero, m8);
                    var g = Vector256.Clamp((Vector256.ShiftRightLogical(p, 8) & m8) + ng, zero, m8);
                    var bl = Vector256.Clamp((Vector256.ShiftRightLogical(p, 16) & m8) + nb, zero, m8);
                    (r | Vector256.ShiftLeft(g, 8) | Vector256.ShiftLeft(bl, 16) | alpha).AsUInt32().Store(px + i);
                }
            }

            Span<uint> wa = stackalloc uint[8];
            Span<uint> wb = stackalloc uint[8];
            for (; i < n; i += 8)
            {
                rng.NextScalar(wa);
                rng.NextScalar(wb);
                for (var j = 0; j < 8 && i + j < n; j++)
                {
                    var p = px[i + j];
                    var c0 = Kernels.ClampInt((int)(p & 0xFF) + t[wa[j] & (TableSize - 1)]);
                    var c1 = Kernels.ClampInt((int)((p >> 8) & 0xFF) + t[(wa[j] >> 16) & (TableSize - 1)]);
                    var c2 = Kernels.ClampInt((int)((p >> 16) & 0xFF) + t[wb[j] & (TableSize - 1)]);
                    px[i + j] = c0 | (c1 << 8) | (c2 << 16) | 0xFF000000u;
                }
            }
        }
    }

    /// <summary>Adds the same N(0, σ²) sample to R, G and B of each pixel (luminance noise).</summary>
    public static void AddGaussianGray(Span<uint> pixels, double sigma, ulong seed)
    {
        var table = GaussianTable(sigma);
        var rng = new FastRng(seed);
        for (var i = 0; i < pixels.Length; i++)
        {
            var n = table[(int)(rng.Next() & (TableSize - 1))];
            var p = pixels[i];
            pixels[i] = Kernels.ClampInt((int)(p & 0xFF) + n)
                | (Kernels.ClampInt((int)((p >> 8) & 0xFF) + n) << 8)
                | (Kernels.ClampInt((int)((p >> 16) & 0xFF) + n) << 16)
                | 0xFF000000u;
        }
    }

    /// <summary>Sets a fraction <paramref name="amount"/> of pixels to white (salt) or black (pepper).</summary>
    public static void SaltAndPepper(Span<uint> pixels, double amount, double saltRatio, ulong seed)
    {
        var rng = new FastRng(seed);
        var threshold = (ulong)(Math.Clamp(amount, 0, 1) * 4294967295.0);
        var salt = (ulong)(Math.Clamp(saltRatio, 0, 1) * 4294967295.0);
        for (var i = 0; i < pixels.Length; i++)
        {
            var r = rng.Next();
            if ((r & 0xFFFFFFFF) < threshold)
            {
                pixels[i] = (r >> 32) < salt ? 0xFFFFFFFFu : 0xFF000000u;
            }
        }
    }

    /// <summary>The rounded normal quantiles σ·Φ⁻¹((i + ½) / 4096) (cached per σ).</summary>
    public static int[] GaussianTable(double sigma) => WideTables.Count < 4096 ? WideTables.GetOrAdd(sigma, BuildGaussianTable) : BuildGaussianTable(sigma);

    private static int[] BuildGaussianTable(double sigma)
    {
        var table = new int[TableSize];
        for (var i = 0; i < TableSize; i++)
        {
            table[i] = (int)Math.Round(sigma * InverseNormalCdf((i + 0.5) / TableSize), MidpointRounding.AwayFromZero);
        }

        return table;
    }

    /// <summary>Φ⁻¹(p) by Acklam's rational approximation (relative error below 1.2e-9).</summary>
    public static double InverseNormalCdf(double p)
    {
        ReadOnlySpan<double> a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        ReadOnlySpan<double> b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        ReadOnlySpan<double> c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        ReadOnlySpan<double> d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double low = 0.02425;
        if (p < low || p > 1 - low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p < low ? p : 1 - p));
            var num = Horner(c, q);
            var den = (Horner(d, q) * q) + 1;
            return p < low ? num / den : -num / den;
        }

        var u = p - 0.5;
        var r = u * u;
        var n2 = Horner(a, r) * u;
        var d2 = (Horner(b, r) * r) + 1;
        return n2 / d2;
    }

    private static double Horner(ReadOnlySpan<double> coefficients, double x)
    {
        var acc = 0.0;
        foreach (var c in coefficients)
        {
            acc = (acc * x) + c;
        }

        return acc;
    }

    /// <summary>Eight xoshiro256** streams side by side; a draw is 8 × 64 bits (64 bytes, little-endian lanes).</summary>
    internal struct FastRng8
    {
        private Vector512<ulong> _s0, _s1, _s2, _s3;

        public FastRng8(ulong seed)
        {
            Span<ulong> s = stackalloc ulong[32];
            var g = new Xoshiro256(seed);
            for (var i = 0; i < 32; i++)
            {
                s[i] = g.NextUInt64();
            }

            _s0 = Vector512.Create(s[0], s[4], s[8], s[12], s[16], s[20], s[24], s[28]);
            _s1 = Vector512.Create(s[1], s[5], s[9], s[13], s[17], s[21], s[25], s[29]);
            _s2 = Vector512.Create(s[2], s[6], s[10], s[14], s[18], s[22], s[26], s[30]);
            _s3 = Vector512.Create(s[3], s[7], s[11], s[15], s[19], s[23], s[27], s[31]);
        }

        /// <summary>Writes the state as s0[0..8], s1[0..8], s2[0..8], s3[0..8].</summary>
        public readonly void CopyStateTo(Span<ulong> state)
        {
            _s0.CopyTo(state);
            _s1.CopyTo(state[8..]);
            _s2.CopyTo(state[16..]);
            _s3.CopyTo(state[24..]);
        }

        /// <summary>One draw of all eight lanes from a state laid out as <see cref="CopyStateTo"/> writes it.</summary>
        public static void NextScalar(Span<ulong> state, Span<ulong> output)
        {
            for (var l = 0; l < 8; l++)
            {
                ulong s0 = state[l], s1 = state[8 + l], s2 = state[16 + l], s3 = state[24 + l];
                output[l] = ulong.RotateLeft(s1 * 5, 7) * 9;
                var t = s1 << 17;
                s2 ^= s0;
                s3 ^= s1;
                s1 ^= s2;
                s0 ^= s3;
                s2 ^= t;
                s3 = ulong.RotateLeft(s3, 45);
                state[l] = s0;
                state[8 + l] = s1;
                state[16 + l] = s2;
                state[24 + l] = s3;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<ulong> Next()
        {
            var x = Vector512.ShiftLeft(_s1, 2) + _s1;
            x = Vector512.ShiftLeft(x, 7) | Vector512.ShiftRightLogical(x, 57);
            var result = Vector512.ShiftLeft(x, 3) + x;
            var t = Vector512.ShiftLeft(_s1, 17);
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = Vector512.ShiftLeft(_s3, 45) | Vector512.ShiftRightLogical(_s3, 19);
            return result;
        }
    }

    /// <summary>Four xoshiro256** streams side by side; a draw is 4 × 64 bits read as 8 little-endian 32-bit words.</summary>
    internal struct FastRng4
    {
        private Vector256<ulong> _s0, _s1, _s2, _s3;

        public FastRng4(ulong seed)
        {
            Span<ulong> s = stackalloc ulong[16];
            var g = new Xoshiro256(seed);
            for (var i = 0; i < 16; i++)
            {
                s[i] = g.NextUInt64();
            }

            _s0 = Vector256.Create(s[0], s[4], s[8], s[12]);
            _s1 = Vector256.Create(s[1], s[5], s[9], s[13]);
            _s2 = Vector256.Create(s[2], s[6], s[10], s[14]);
            _s3 = Vector256.Create(s[3], s[7], s[11], s[15]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<ulong> NextVector()
        {
            var x = Vector256.ShiftLeft(_s1, 2) + _s1;
            x = Vector256.ShiftLeft(x, 7) | Vector256.ShiftRightLogical(x, 57);
            var result = Vector256.ShiftLeft(x, 3) + x;
            var t = Vector256.ShiftLeft(_s1, 17);
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = Vector256.ShiftLeft(_s3, 45) | Vector256.ShiftRightLogical(_s3, 19);
            return result;
        }

        public void NextScalar(Span<uint> words) => NextVector().AsUInt32().CopyTo(words);
    }

    /// <summary>xoshiro256** kept in registers for the pixel loops.</summary>
    internal struct FastRng
    {
        private ulong _s0, _s1, _s2, _s3;

        public FastRng(ulong seed)
        {
            var g = new Xoshiro256(seed);
            _s0 = g.NextUInt64();
            _s1 = g.NextUInt64();
            _s2 = g.NextUInt64();
            _s3 = g.NextUInt64();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong Next()
        {
            var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
            var t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = ulong.RotateLeft(_s3, 45);
            return result;
        }
    }
}
