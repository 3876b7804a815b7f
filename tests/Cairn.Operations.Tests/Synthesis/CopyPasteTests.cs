using Cairn.Core.Model;
using Cairn.Operations.Geometry;
using Cairn.Operations.Imaging;
using Cairn.Operations.Synthesis;

namespace Cairn.Operations.Tests.Synthesis;

public sealed class CopyPasteTests
{
    private const uint Grey = 0xFF808080u;
    private const uint Red = 0xFF0000FFu;

    private static (RgbaImage Background, Annotation Annotation, CutOut Cut) Setup()
    {
        // Source: a red 10×10 square (polygon 5..15) on black; background: flat grey 64×48 with one box label.
        using var source = new RgbaImage(20, 20, clear: true);
        var square = new PolygonGeometry([new(5, 5), new(15, 5), new(15, 15), new(5, 15)]);
        foreach (var (y, x0, x1) in Rasterizer.Spans([square.Exterior], 20, 20))
        {
            source.Pixels.Slice((y * 20) + x0, x1 - x0).Fill(Red);
        }

        var cut = CutOut.Cut(source, new Label("square", square))!;
        var background = new RgbaImage(64, 48);
        background.Pixels.Fill(Grey);
        var annotation = new Annotation(64, 48, [], [new Label("box", new RectangleGeometry(new BoxD(10, 10, 40, 30)))]);
        return (background, annotation, cut);
    }

    [Fact]
    public void Pasted_labels_are_exactly_the_visible_pasted_pixels()
    {
        var (background, annotation, cut) = Setup();
        Assert.Equal(100, cut.Mask.Count(b => b == 1));
        var spec = new CopyPasteSpec { Seed = 4, MinObjects = 4, MaxObjects = 4, Scale = 1.5, FlipProbability = 0.5 };
        var (image, result) = CopyPaste.Compose(background, annotation, [cut], spec, "bg1");
        using (background)
        using (image)
        {
            var pasted = result.Labels.Where(l => l.ClassName == "square").Select(l => (PolygonGeometry)l.Geometry).ToList();
            Assert.NotEmpty(pasted);

            // The red pixels of the output are exactly the union of the pasted labels (1.5× scale of 10 px → 15 px squares).
            var red = image.Pixels.ToArray().Count(p => p == Red);
            Assert.Equal(red, pasted.Sum(p => p.Area()));
            foreach (var poly in pasted)
            {
                foreach (var (y, x0, x1) in Rasterizer.Spans([poly.Exterior, .. poly.Interiors], 64, 48))
                {
                    Assert.True(image.Pixels.Slice((y * 64) + x0, x1 - x0).IndexOfAnyExcept(Red) < 0);
                }
            }

            // The background box shrinks to the bounds of its still-grey part.
            var box = ((RectangleGeometry)result.Labels.Single(l => l.ClassName == "box").Geometry).Box;
            for (var y = 10; y < 30; y++)
            {
                for (var x = 10; x < 40; x++)
                {
                    if (image.Pixels[(y * 64) + x] == Grey)
                    {
                        Assert.True(x >= box.Left && x < box.Right && y >= box.Top && y < box.Bottom, $"grey pixel ({x}, {y}) outside {box}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Same_key_same_composite()
    {
        var (background, annotation, cut) = Setup();
        using (background)
        {
            var spec = new CopyPasteSpec { Seed = 9 };
            var (a, la) = CopyPaste.Compose(background, annotation, [cut], spec, "k");
            var (b, lb) = CopyPaste.Compose(background, annotation, [cut], spec, "k");
            using (a)
            using (b)
            {
                Assert.True(a.Bytes.SequenceEqual(b.Bytes));
                Assert.Equal(la, lb);
            }
        }
    }
}
