using Cairn.Core.Formats;
using Cairn.Storage.Projects;
using Cairn.TestSupport;
using SkiaSharp;

namespace Cairn.Storage.Tests.Projects;

public sealed class ProjectImporterTests
{
    [Fact]
    public void Image_whose_header_claims_60000_by_60000_is_refused_and_nothing_is_imported()
    {
        // The COCO file declares 64×64, which passes every limit; only the image's own header tells the truth.
        using var home = new TempHome();
        var src = CocoFolder(home, ("a.png", Png(64, 48), 64, 48), ("huge.png", CraftedPng.HeaderOnly(60_000, 60_000), 64, 64));

        var ex = Assert.Throws<DatasetFormatException>(() => new ProjectImporter(home.Store).Import("coco", src, "p"));
        Assert.Equal("train/huge.png", ex.File);
        Assert.Equal("image header", ex.Location);
        Assert.Equal($"the image is 60000×60000 = 3600000000 pixels, more than the limit of {ImportLimits.Default.MaxImagePixels} (the annotations declare 64×64)", ex.Problem);
        AssertNothingImported(home);
    }

    [Fact]
    public void Declared_size_that_differs_from_the_header_is_refused_naming_both()
    {
        using var home = new TempHome();
        var src = CocoFolder(home, ("a.png", Png(64, 48), 64, 48), ("b.png", Png(60, 40), 64, 48), ("c.png", Png(40, 60), 60, 40));
        var ex = Assert.Throws<DatasetFormatException>(() => new ProjectImporter(home.Store).Import("coco", src, "p"));

        // Images are stored in parallel: whichever bad image a thread met first is reported.
        if (ex.File == "train/b.png")
        {
            Assert.Equal("the image is 60×40 pixels but the annotations declare 64×48", ex.Problem);
        }
        else
        {
            Assert.Equal("train/c.png", ex.File);
            Assert.Equal("the image is 40×60 pixels but the annotations declare 60×40 (width and height swapped: annotations made on an EXIF-rotated view?)", ex.Problem);
        }

        AssertNothingImported(home);
    }

    [Fact]
    public void Images_whose_headers_agree_are_imported()
    {
        using var home = new TempHome();
        var src = CocoFolder(home, ("a.png", Png(64, 48), 64, 48), ("b.png", Png(60, 40), 60, 40));
        var result = new ProjectImporter(home.Store).Import("coco", src, "p");
        Assert.Equal(2, result.Items);
    }

    private static void AssertNothingImported(TempHome home)
    {
        using var db = home.Store.Catalog();
        Assert.Empty(db.Projects);
        Assert.Empty(db.Items);
    }

    // A COCO folder in COCO's own layout: annotations/instances_train.json and the images in train/.
    private static string CocoFolder(TempHome home, params (string Name, byte[] Bytes, int Width, int Height)[] images)
    {
        var root = Path.Combine(home.Path, "src");
        Directory.CreateDirectory(Path.Combine(root, "train"));
        Directory.CreateDirectory(Path.Combine(root, "annotations"));
        var entries = new List<string>();
        for (var i = 0; i < images.Length; i++)
        {
            var (name, bytes, w, h) = images[i];
            File.WriteAllBytes(Path.Combine(root, "train", name), bytes);
            entries.Add($$"""{"id":{{i + 1}},"file_name":"{{name}}","width":{{w}},"height":{{h}}}""");
        }

        File.WriteAllText(Path.Combine(root, "annotations", "instances_train.json"), $$"""{"images":[{{string.Join(",", entries)}}],"annotations":[],"categories":[{"id":1,"name":"cat"}]}""");
        return root;
    }

    private static byte[] Png(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        bitmap.Erase(new SKColor((byte)width, (byte)height, 0));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
