using Cairn.Operations.Imaging;

namespace Cairn.Operations.Augment.Steps;

/// <summary>Applies a 3×3 colour matrix (rows give R', G', B') in 10-bit fixed point.</summary>
internal static class ColorMatrixStep
{
    public static void Apply(Span<uint> pixels, ReadOnlySpan<double> m)
    {
        Span<int> q = stackalloc int[9];
        for (var i = 0; i < 9; i++)
        {
            q[i] = (int)Math.Round(m[i] * 1024);
        }

        for (var i = 0; i < pixels.Length; i++)
        {
            var p = pixels[i];
            int r = (int)(p & 0xFF), g = (int)((p >> 8) & 0xFF), b = (int)((p >> 16) & 0xFF);
            var r2 = Kernels.ClampInt(((q[0] * r) + (q[1] * g) + (q[2] * b) + 512) >> 10);
            var g2 = Kernels.ClampInt(((q[3] * r) + (q[4] * g) + (q[5] * b) + 512) >> 10);
            var b2 = Kernels.ClampInt(((q[6] * r) + (q[7] * g) + (q[8] * b) + 512) >> 10);
            pixels[i] = r2 | (g2 << 8) | (b2 << 16) | 0xFF000000u;
        }
    }

    /// <summary>The saturation matrix of the CSS Filter Effects spec (luma weights 0.213, 0.715, 0.072).</summary>
    public static double[] Saturate(double s) =>
    [
        0.213 + (0.787 * s), 0.715 - (0.715 * s), 0.072 - (0.072 * s),
        0.213 - (0.213 * s), 0.715 + (0.285 * s), 0.072 - (0.072 * s),
        0.213 - (0.213 * s), 0.715 - (0.715 * s), 0.072 + (0.928 * s),
    ];

    /// <summary>The hue-rotate matrix of the CSS Filter Effects spec.</summary>
    public static double[] HueRotate(double degrees)
    {
        var (sin, cos) = Math.SinCos(degrees * Math.PI / 180);
        return
        [
            0.213 + (cos * 0.787) - (sin * 0.213), 0.715 - (cos * 0.715) - (sin * 0.715), 0.072 - (cos * 0.072) + (sin * 0.928),
            0.213 - (cos * 0.213) + (sin * 0.143), 0.715 + (cos * 0.285) + (sin * 0.140), 0.072 - (cos * 0.072) - (sin * 0.283),
            0.213 - (cos * 0.213) - (sin * 0.787), 0.715 - (cos * 0.715) + (sin * 0.715), 0.072 + (cos * 0.928) + (sin * 0.072),
        ];
    }
}
