using Cairn.Core.Masks;
using Cairn.Core.Model;
using Cairn.Operations.Augment;
using Cairn.Operations.Augment.Steps;
using Cairn.Operations.Geometry;
using Cairn.Operations.Imaging;

namespace Cairn.Operations.Tests.Augment;

public sealed class EveryStepTests
{
    private const int W = 80, H = 60;

    public static TheoryData<string> Steps() =>
    [
        """{"op": "hflip"}""",
        """{"op": "vflip"}""",
        """{"op": "rotate", "angle": [-40, 40]}""",
        """{"op": "crop", "x": 10, "y": 5, "width": 50, "height": 40}""",
        """{"op": "randomCrop", "area": [0.3, 0.6], "minVisible": 0.2}""",
        """{"op": "randomCrop", "width": 32, "height": 32}""",
        """{"op": "resize", "width": 40}""",
        """{"op": "scale", "factor": [0.5, 2]}""",
        """{"op": "translate", "x": [-0.3, 0.3], "y": [-0.3, 0.3]}""",
        """{"op": "gaussianNoise", "sigma": [4, 12], "perChannel": false}""",
        """{"op": "saltPepper", "amount": 0.05}""",
        """{"op": "gaussianBlur", "kernel": 9, "sigma": 2.5}""",
        """{"op": "motionBlur", "kernel": 9}""",
        """{"op": "brightness", "delta": [-30, 30]}""",
        """{"op": "contrast", "factor": [0.5, 1.5]}""",
        """{"op": "hue", "degrees": [-90, 90]}""",
        """{"op": "saturation", "factor": [0, 2]}""",
        """{"op": "grayscale"}""",
        """{"op": "cutout", "count": 3, "size": 0.2}""",
        """{"op": "mosaic", "size": 96}""",
    ];

    private static Annotation AllKinds()
    {
        var mask = Rasterizer.Fill([new List<PointD> { new(50, 30), new(70, 30), new(70, 55), new(50, 55) }], W, H);
        var template = new KeypointTemplate(["left_hand", "right_hand"], [new KeypointEdge(0, 1)]);
        return new Annotation(W, H, [new Tag("day")],
        [
            new Label("box", new RectangleGeometry(new BoxD(5, 5, 30, 25))),
            new Label("poly", new PolygonGeometry([new(30, 10), new(60, 10), new(60, 40), new(30, 40)], [new List<PointD> { new(40, 20), new(50, 20), new(50, 30), new(40, 30) }])),
            new Label("mask", new MaskGeometry(Rle.Encode(mask, H, W))),
            new Label("pt", new PointGeometry(new PointD(40, 50))),
            new Label("line", new PolylineGeometry([new(2, 58), new(40, 45), new(78, 58)])),
            new Label("kp", new KeypointsGeometry([new Keypoint(20, 40, 2), new Keypoint(30, 40, 2)])),
        ]);
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public void Step_keeps_every_label_kind_inside_the_output_image(string stepJson)
    {
        var pipeline = AugmentPipeline.FromJson($$"""{"seed": 5, "steps": [{{stepJson}}]}""");
        using var src = TestImages.Gradient(W, H);
        for (var i = 0; i < 4; i++)
        {
            var (img, ann) = pipeline.Apply(src, AllKinds(), "item", i);
            using (img)
            {
                Assert.Equal((img.Width, img.Height), (ann.Width, ann.Height));
                Assert.Equal([new Tag("day")], ann.Tags);
                foreach (var label in ann.Labels)
                {
                    var b = label.Geometry.Bounds();
                    Assert.True(b.Left >= -1e-9 && b.Top >= -1e-9 && b.Right <= img.Width + 1e-9 && b.Bottom <= img.Height + 1e-9, $"{label.ClassName} {b} outside {img.Width}×{img.Height}");
                    if (label.Geometry is MaskGeometry m)
                    {
                        Assert.Equal((img.Width, img.Height), (m.Rle.Width, m.Rle.Height));
                    }
                }

                Assert.True(img.Pixels.ToArray().All(p => p >> 24 == 0xFF), "alpha must stay opaque");
            }
        }
    }

    [Fact]
    public void Photometric_steps_leave_labels_unchanged()
    {
        var pipeline = AugmentPipeline.FromJson("""{"steps": [{"op": "gaussianNoise"}, {"op": "gaussianBlur"}, {"op": "hue", "degrees": 30}, {"op": "cutout"}]}""");
        using var src = TestImages.Gradient(W, H);
        var (img, ann) = pipeline.Apply(src, AllKinds(), "item", 0);
        img.Dispose();
        Assert.Equal(AllKinds(), ann);
    }

    [Fact]
    public void Mosaic_of_one_image_repeats_its_labels_per_quadrant_within_each_quadrant()
    {
        // Without a mosaic source the image fills all four quadrants; with the centre fixed at 48 and every quadrant
        // 48×48, the 80×60 image is scaled by max(48/80, 48/60) = 0.8 to 64×48, so each copy loses at most a strip.
        var pipeline = new AugmentPipeline(new AugmentSpec { Steps = [new Mosaic { Size = 96, Center = 0.5 }] });
        using var src = TestImages.Gradient(W, H);
        var box = new Annotation(W, H, [], [new Label("box", new RectangleGeometry(new BoxD(30, 20, 50, 40)))]);
        var (img, ann) = pipeline.Apply(src, box, "k", 0);
        img.Dispose();
        Assert.Equal(96, ann.Width);
        Assert.Equal(4, ann.Labels.Count);

        // Top-left copy: its right edge sits on the centre, x' = 0.8·x + 48 − 64 = 0.8x − 16 → box 8..24 × (0.8y + 48 − 48) 16..32.
        Assert.Equal(new BoxD(8, 16, 24, 32), ((RectangleGeometry)ann.Labels[0].Geometry).Box);
    }

    [Fact]
    public void Mosaic_draws_other_images_from_the_source_by_index()
    {
        using var other = new RgbaImage(40, 40);
        other.Pixels.Fill(0xFF00FF00u);
        var otherAnn = new Annotation(40, 40, [], [new Label("green", new RectangleGeometry(new BoxD(0, 0, 40, 40)))]);
        var fetched = new List<int>();
        var source = new MosaicSource(5, i =>
        {
            fetched.Add(i);
            return (other.Clone(), otherAnn);
        });
        var pipeline = new AugmentPipeline(new AugmentSpec { Steps = [new Mosaic { Size = 64 }] });
        using var src = TestImages.Gradient(W, H);
        var (img, ann) = pipeline.Apply(src, Annotation.Empty(W, H), "k", 0, source);
        img.Dispose();
        Assert.Equal(3, fetched.Count);
        Assert.Equal(3, ann.Labels.Count(l => l.ClassName == "green"));
    }

    [Fact]
    public void Crop_in_a_pipeline_drops_labels_below_min_visible()
    {
        // Crop 40..80 × 0..60: the box 5..30 is outside, the polygon 30..60 keeps 20 of 30 columns (≈0.67 of its area
        // minus the hole's share), the mask 50..70 is fully inside, the polyline keeps one of its two equal segments
        // (half its length). minVisible 0.9 keeps only the mask.
        var pipeline = AugmentPipeline.FromJson("""{"minVisible": 0.9, "steps": [{"op": "crop", "x": 40, "y": 0, "width": 40, "height": 60}]}""");
        using var src = TestImages.Gradient(W, H);
        var (img, ann) = pipeline.Apply(src, AllKinds(), "item", 0);
        img.Dispose();
        Assert.Equal(["mask"], ann.Labels.Select(l => l.ClassName).Where(n => n is "mask" or "box" or "poly" or "line"));
    }
}
