using Cairn.Core.Imaging;
using Cairn.TestSupport;
using SkiaSharp;

namespace Cairn.Core.Tests.Imaging;

public sealed class ImageDecoderTests
{
    [Fact]
    public void A_header_claiming_60000_by_60000_is_refused_before_any_pixels_are_allocated()
    {
        // 60000 × 60000 RGBA would be 14.4 GB; the file itself is 70 bytes.
        var bytes = CraftedPng.HeaderOnly(60_000, 60_000);
        using var data = SKData.CreateCopy(bytes);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidDataException>(() => ImageDecoder.Open(data, "huge.png"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal($"huge.png: the image header says 60000×60000 = 3600000000 pixels, expected at most {ImageDecoder.MaxPixels} (set CAIRN_MAX_IMAGE_PIXELS to change the limit).", ex.Message);

        // The exception and its message are all there is: well under one row of the image (240 kB).
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated");
    }

    [Fact]
    public void Formats_without_a_parsed_header_are_checked_from_skias_header()
    {
        using var bitmap = new SKBitmap(50, 40);
        using var webp = bitmap.Encode(SKEncodedImageFormat.Webp, 90);
        var ex = Assert.Throws<InvalidDataException>(() => ImageDecoder.Open(webp, "a.webp", maxPixels: 1999));
        Assert.Contains("50×40 = 2000 pixels, expected at most 1999", ex.Message);

        using var codec = ImageDecoder.Open(webp, "a.webp", maxPixels: 2000);
        Assert.Equal((50, 40), (codec.Info.Width, codec.Info.Height));
    }

    [Fact]
    public void Every_decode_in_the_sources_starts_from_the_guarded_decoder()
    {
        // Opening a codec, or a Skia call that decodes in one step, anywhere else would bypass the pixel limit.
        // ImageProbe reads a header only (no pixels) and checks the import's own limit.
        string[] calls = ["SKCodec.Create(", "SKBitmap.Decode(", "SKImage.FromEncodedData(", "SKBitmap.FromImage("];
        string[] allowed = ["Cairn.Core/Imaging/ImageDecoder.cs", "Cairn.Core/Formats/Internal/ImageProbe.cs"];
        var src = Path.Combine(SharedData.RepoRoot, "src");
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(src, f).Replace('\\', '/'))
            .Where(f => !allowed.Contains(f))
            .Where(f => calls.Any(File.ReadAllText(Path.Combine(src, f)).Contains))
            .ToList();
        Assert.Empty(offenders);
    }
}
