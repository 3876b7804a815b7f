using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cairn.Operations.Imaging;

/// <summary>Additive noise kernels driven by an inline xoshiro256** state (no allocation, no virtual calls per sample).</summary>
internal static class Noise
{
    private const int TableBits = 12;
    private const int TableSize = 1 << TableBits;

    /// <summary>
    /// Adds N(0, σ²) to R, G and B, rounded to integers and saturated. Samples come from the 4096 quantiles
    /// of the normal distribution (so tails are cut at ±3.7σ), indexed by 12 random bits each.
    /// </summary>
    public static void AddGaussian(Span<uint> pixels, double sigma, ulong seed)
    {
        var table = GaussianTable(sigma);
        var rng = new FastRng(seed);
        ref var t = ref MemoryMarshal.GetArrayDataReference(table);
        for (var i = 0; i < pixels.Length; i++)
        {
            var r = rng.Next();
            var p = pixels[i];
            var c0 = Kernels.ClampInt((int)(p & 0xFF) + Unsafe.Add(ref t, (int)(r & (TableSize - 1))));
            var c1 = Kernels.ClampInt((int)((p >> 8) & 0xFF) + Unsafe.Add(ref t, (int)((r >> 12) & (TableSize - 1))));
            var c2 = Kernels.ClampInt((int)((p >> 16) & 0xFF) + Unsafe.Add(ref t, (int)((r >> 24) & (TableSize - 1))));
            pixels[i] = c0 | (c1 << 8) | (c2 << 16) | 0xFF000000u;
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

    /// <summary>The rounded normal quantiles σ·Φ⁻¹((i + ½) / 4096).</summary>
    public static int[] GaussianTable(double sigma)
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
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
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

    private static double Horner(double[] coefficients, double x)
    {
        var acc = 0.0;
        foreach (var c in coefficients)
        {
            acc = (acc * x) + c;
        }

        return acc;
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
