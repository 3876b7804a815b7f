using Cairn.Core.Formats.Internal;
using Cairn.TestSupport;
using SkiaSharp;

namespace Cairn.Core.Tests.Formats;

public sealed class ImageProbeTests
{
    [Fact]
    public void Header_sizes_of_real_jpegs_agree_with_skia()
    {
        // Reference: SkiaSharp's codec on the same 100 tiny-coco photos (train2017 and val2017).
        var files = Directory.GetFiles(SharedData.Resolve("tiny-coco/train2017"), "*.jpg")
            .Concat(Directory.GetFiles(SharedData.Resolve("tiny-coco/val2017"), "*.jpg"))
            .ToList();
        Assert.Equal(100, files.Count);
        foreach (var f in files)
        {
            using var s = File.OpenRead(f);
            Assert.True(ImageProbe.TryReadHeader(s, out var w, out var h), f);
            using var codec = SKCodec.Create(f);
            Assert.Equal((codec.Info.Width, codec.Info.Height), ((int)w, (int)h));
        }
    }

    [Fact]
    public void Header_size_of_png_is_read_from_ihdr()
    {
        using var s = new MemoryStream(TestImages.Png(37, 11));
        Assert.True(ImageProbe.TryReadHeader(s, out var w, out var h));
        Assert.Equal((37L, 11L), (w, h));
    }

    [Fact]
    public void Other_formats_fall_back_to_the_codec()
    {
        using var bitmap = new SKBitmap(5, 3);
        using var webp = bitmap.Encode(SKEncodedImageFormat.Webp, 90);
        using var dir = new TempDir();
        var path = dir.Write("a.webp", webp.ToArray());
        using (var s = File.OpenRead(path))
        {
            Assert.False(ImageProbe.TryReadHeader(s, out _, out _));
        }

        Assert.Equal((5, 3), ImageProbe.ReadSize(path, "a.webp", Cairn.Core.Formats.ImportLimits.Default));
    }
}
