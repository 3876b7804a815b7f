using Cairn.Operations.Imaging;

namespace Cairn.Operations.Tests.Imaging;

public sealed class JpegEncoderTests
{
    [Theory]
    [InlineData(640, 480)]
    [InlineData(37, 21)] // not a multiple of the 16-pixel MCU: exercises edge replication
    public void Encoded_jpeg_decodes_with_skia_and_matches_skias_own_quality(int w, int h)
    {
        using var src = TestImages.Gradient(w, h);
        var ours = ImageCodec.Encode(src, ImageFormat.Jpeg, 90);
        var skia = ImageCodec.EncodeSkia(src, ImageFormat.Jpeg, 90);
        using var a = ImageCodec.Decode(ours, "ours");
        using var b = ImageCodec.Decode(skia, "skia");
        var psnrOurs = TestImages.Psnr(src, a);
        var psnrSkia = TestImages.Psnr(src, b);

        // Same quantisation tables and chroma subsampling as libjpeg, so quality should match within 1 dB.
        Assert.True(psnrOurs > psnrSkia - 1.0, $"ours {psnrOurs:F2} dB, skia {psnrSkia:F2} dB");
        // The blue checker's hard edges cost chroma detail at 4:2:0: Skia measures about 25 dB here too.
        Assert.True(psnrOurs > 23, $"ours {psnrOurs:F2} dB");
    }

    [Theory]
    [InlineData(1, 1, 90)]
    [InlineData(17, 1, 90)]
    [InlineData(1, 33, 90)]
    [InlineData(64, 48, 100)] // quantiser 1: largest coefficients and DC steps
    [InlineData(64, 48, 1)]
    public void Edge_sizes_and_qualities_decode_to_the_right_size(int w, int h, int quality)
    {
        using var src = TestImages.Gradient(w, h);
        Noise.AddGaussian(src.Pixels, 60, 3); // worst case for the coder: every coefficient busy
        var bytes = ImageCodec.Encode(src, ImageFormat.Jpeg, quality);
        using var back = ImageCodec.Decode(bytes, "edge");
        Assert.Equal((w, h), (back.Width, back.Height));
        if (quality == 100)
        {
            // Per-pixel chroma noise is what 4:2:0 throws away (about 15 dB by hand for σ 60), so compare with Skia's
            // libjpeg at the same settings rather than with a fixed figure.
            using var skia = ImageCodec.Decode(ImageCodec.EncodeSkia(src, ImageFormat.Jpeg, quality), "skia");
            Assert.True(TestImages.Psnr(src, back) > TestImages.Psnr(src, skia) - 1, $"ours {TestImages.Psnr(src, back):F1} dB, skia {TestImages.Psnr(src, skia):F1} dB");
        }
    }

    [Fact]
    public void Quality_scaling_follows_ijg()
    {
        // IJG jcparam.c: quality 90 → scale 20 → (16·20 + 50) / 100 = 3 for the luminance DC entry.
        Assert.Equal(3, JpegEncoder.ScaleTable([16, .. new byte[63]], 90)[0]);

        // quality 50 → scale 100 → the base table itself.
        Assert.Equal(16, JpegEncoder.ScaleTable([16, .. new byte[63]], 50)[0]);
    }
}
