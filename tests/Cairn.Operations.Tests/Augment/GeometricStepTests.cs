using Cairn.Core.Model;
using Cairn.Operations.Augment;

namespace Cairn.Operations.Tests.Augment;

public sealed class GeometricStepTests
{
    private static Annotation Box(int w, int h, BoxD box) => new(w, h, [], [new Label("b", new RectangleGeometry(box))]);

    private static (int W, int H, BoxD Box) Run(string steps, int w, int h, BoxD box)
    {
        var pipeline = AugmentPipeline.FromJson($$"""{"steps": {{steps}}}""");
        using var src = TestImages.Gradient(w, h);
        var (img, ann) = pipeline.Apply(src, Box(w, h, box), "k", 0);
        using (img)
        {
            return (img.Width, img.Height, ((RectangleGeometry)Assert.Single(ann.Labels).Geometry).Box);
        }
    }

    [Fact]
    public void Resize_scales_the_image_and_the_box()
    {
        // 100×50 → width 50 keeps the aspect: 50×25, every coordinate halves.
        Assert.Equal((50, 25, new BoxD(5, 2.5, 15, 10)), Run("""[{"op": "resize", "width": 50}]""", 100, 50, new BoxD(10, 5, 30, 20)));
    }

    [Fact]
    public void Translate_shifts_and_clips()
    {
        // x + 0.2·100 = +20, y − 0.1·50 = −5: box 10..30 × 5..20 → 30..50 × 0..15.
        Assert.Equal((100, 50, new BoxD(30, 0, 50, 15)), Run("""[{"op": "translate", "x": 0.2, "y": -0.1}]""", 100, 50, new BoxD(10, 5, 30, 20)));
    }

    [Fact]
    public void Vflip_then_crop_compose_into_one_map()
    {
        // vflip: y → 50 − y gives 30..45; crop from (20, 10) size 40×30: 10..30 − 20 → −10..10 → clipped 0..10,
        // 30..45 − 10 → 20..35 → clipped 20..30.
        Assert.Equal((40, 30, new BoxD(0, 20, 10, 30)), Run("""[{"op": "vflip"}, {"op": "crop", "x": 20, "y": 10, "width": 40, "height": 30}]""", 100, 50, new BoxD(10, 5, 30, 20)));
    }

    [Fact]
    public void Scale_by_two_doubles_size_and_coordinates()
    {
        Assert.Equal((200, 100, new BoxD(20, 10, 60, 40)), Run("""[{"op": "scale", "factor": 2}]""", 100, 50, new BoxD(10, 5, 30, 20)));
    }
}
