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

    [Fact]
    public void Quality_scaling_follows_ijg()
    {
        // IJG jcparam.c: quality 90 → scale 20 → (16·20 + 50) / 100 = 3 for the luminance DC entry.
        Assert.Equal(3, JpegEncoder.ScaleTable([16, .. new byte[63]], 90)[0]);

        // quality 50 → scale 100 → the base table itself.
        Assert.Equal(16, JpegEncoder.ScaleTable([16, .. new byte[63]], 50)[0]);
    }
}
