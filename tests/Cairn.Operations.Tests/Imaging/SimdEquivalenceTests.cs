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

    [Theory]
    [InlineData(8.0)] // byte-table path
    [InlineData(40.0)] // 4096-quantile path
    public void Vector_and_scalar_noise_give_identical_bytes(double sigma)
    {
        byte[] Run()
        {
            using var img = TestImages.Gradient(101, 37); // 3737 pixels: not a multiple of 16, so the tail is used
            Noise.AddGaussian(img.Pixels, sigma, 42);
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
    public void Vector_and_scalar_jpeg_coding_give_identical_bytes()
    {
        using var img = TestImages.Gradient(101, 37);
        Noise.AddGaussian(img.Pixels, 20, 1); // busy blocks: long runs, large coefficients, ZRL codes
        var vector = ImageCodec.Encode(img, ImageFormat.Jpeg, 95);
        JpegEncoder.UseSimd = false;
        try
        {
            Assert.Equal(vector, ImageCodec.Encode(img, ImageFormat.Jpeg, 95));
        }
        finally
        {
            JpegEncoder.UseSimd = true;
        }
    }

    [Fact]
    public void Vector_and_scalar_lut_give_identical_bytes()
    {
        var lut = Kernels.LinearLut(1.1, 10);
        byte[] Run()
        {
            using var img = TestImages.Gradient(101, 37);
            Kernels.ApplyLut(img.Pixels, lut);
            return img.Bytes.ToArray();
        }

        var vector = Run();
        Kernels.UseSimd = false;
        try
        {
            var scalar = Run();
            Assert.Equal(vector, scalar);

            // And the table itself: 0 → 10, 100 → 120, 230 → 263 saturated to 255 (x·1.1 + 10, rounded).
            Assert.Equal((byte)120, lut[100]);
            Assert.Equal((byte)255, lut[230]);
        }
        finally
        {
            Kernels.UseSimd = true;
        }
    }

    [Theory]
    [InlineData(8.0)]
    [InlineData(25.0)]
    public void Byte_noise_table_sum_of_two_draws_has_the_requested_deviation(double sigma)
    {
        // Exact over the table (not sampled): Var(a + b) = 2·Var(T) for independent draws; mean 0 by symmetry.
        var t = Noise.ByteTable(sigma).Select(b => (double)(sbyte)b).ToArray();
        Assert.Equal(0, t.Average(), 9);
        Assert.InRange(Math.Sqrt(2 * t.Select(v => v * v).Average()), sigma * 0.98, sigma * 1.02);
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
