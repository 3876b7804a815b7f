using Cairn.Operations.Geometry;
using Cairn.Operations.Imaging;

namespace Cairn.Operations.Tests.Imaging;

// Switches global kernel flags, so it must not run in parallel with other tests that warp or add noise.
[Collection(nameof(SimdEquivalenceTests))]
[CollectionDefinition(nameof(SimdEquivalenceTests), DisableParallelization = true)]
public sealed class SimdEquivalenceTests
{
    [Fact]
    public void Vector_and_scalar_warp_give_identical_bytes()
    {
        using var src = TestImages.Gradient(203, 117);
        var map = Affine.Compose(new Affine(-1, 0, 203, 0, 1, 0), Affine.Rotation(15, 101.5, 58.5));
        byte[] Run()
        {
            using var dst = new RgbaImage(203, 117);
            Warp.Bilinear(src, dst, map, 0, 0, 203, 117);
            return dst.Bytes.ToArray();
        }

        var vector = Run();
        Warp.UseSimd = false;
        try
        {
            Assert.Equal(vector, Run());
        }
        finally
        {
            Warp.UseSimd = true;
        }
    }

    [Fact]
    public void Vector_and_scalar_noise_give_identical_bytes()
    {
        byte[] Run()
        {
            using var img = TestImages.Gradient(101, 37); // 3737 pixels: not a multiple of 8, so the tail is used
            Noise.AddGaussian(img.Pixels, 8, 42);
            return img.Bytes.ToArray();
        }

        var vector = Run();
        Noise.UseSimd = false;
        try
        {
            Assert.Equal(vector, Run());
        }
        finally
        {
            Noise.UseSimd = true;
        }
    }

    [Fact]
    public void Noise_table_has_the_requested_standard_deviation()
    {
        // The 4096 rounded quantiles of N(0, 8²): their standard deviation is within 2% of 8 (truncation at ±3.7σ
        // and rounding to integers pull it slightly off; computed exactly here, not sampled).
        var t = Noise.GaussianTable(8);
        var mean = t.Average();
        var sd = Math.Sqrt(t.Select(v => (v - mean) * (v - mean)).Average());
        Assert.Equal(0, mean, 3);
        Assert.InRange(sd, 7.84, 8.16);
    }
}
