using Cairn.Operations.Imaging;

namespace Cairn.Operations.Tests;

/// <summary>Deterministic test images built in code (no files), so expected values can be derived by hand.</summary>
internal static class TestImages
{
    /// <summary>A smooth colour gradient with a few hard edges: R = x, G = y, B = 255 on a checker of 16-pixel squares.</summary>
    public static RgbaImage Gradient(int w, int h)
    {
        var img = new RgbaImage(w, h);
        var px = img.Pixels;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var r = (uint)(x * 255 / Math.Max(1, w - 1));
                var g = (uint)(y * 255 / Math.Max(1, h - 1));
                var b = ((x / 16) + (y / 16)) % 2 == 0 ? 255u : 40u;
                px[(y * w) + x] = r | (g << 8) | (b << 16) | 0xFF000000u;
            }
        }

        return img;
    }

    /// <summary>Peak signal-to-noise ratio over R, G, B in dB.</summary>
    public static double Psnr(RgbaImage a, RgbaImage b)
    {
        Assert.Equal(a.Width, b.Width);
        Assert.Equal(a.Height, b.Height);
        double se = 0;
        var pa = a.Bytes;
        var pb = b.Bytes;
        for (var i = 0; i < pa.Length; i++)
        {
            if (i % 4 == 3)
            {
                continue;
            }

            double d = pa[i] - pb[i];
            se += d * d;
        }

        var mse = se / (a.Width * a.Height * 3);
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }
}
