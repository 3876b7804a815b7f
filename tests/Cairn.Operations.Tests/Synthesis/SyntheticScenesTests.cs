using Cairn.Core.Model;
using Cairn.Inference;
using Cairn.Operations.Imaging;
using Cairn.Operations.Synthesis;
using Cairn.TestSupport;

namespace Cairn.Operations.Tests.Synthesis;

public sealed class SyntheticScenesTests
{
    [Fact]
    public void Same_seed_and_index_give_identical_scenes_and_other_indices_differ()
    {
        var spec = new SyntheticSpec { Seed = 11 };
        byte[] Png(int i)
        {
            var (img, _) = SyntheticScenes.Generate(spec, i);
            using (img)
            {
                return ImageCodec.Encode(img, ImageFormat.Png);
            }
        }

        Assert.Equal(Png(3), Png(3));
        Assert.NotEqual(Png(3), Png(4));
        Assert.Equal(SyntheticScenes.Generate(spec, 3).Annotation, SyntheticScenes.Generate(spec, 3).Annotation);
    }

    [Fact]
    public void Labels_cover_exactly_the_pixels_painted_in_the_shape_colour()
    {
        // Without overlap and with noise off, each shape's pixels are its flat colour: count them per label.
        var spec = new SyntheticSpec { Seed = 2, NoiseSigma = 0, MinShapes = 3, MaxShapes = 3 };
        var (img, ann) = SyntheticScenes.Generate(spec, 0);
        using (img)
        {
            Assert.Equal(3, ann.Labels.Count);
            foreach (var label in ann.Labels)
            {
                var poly = Assert.IsType<PolygonGeometry>(label.Geometry);
                var spans = Cairn.Operations.Geometry.Rasterizer.Spans([poly.Exterior], img.Width, img.Height);
                var colour = img.Pixels[(spans[0].Y * img.Width) + spans[0].X0];
                Assert.All(spans, s => Assert.True(img.Pixels.Slice((s.Y * img.Width) + s.X0, s.X1 - s.X0).IndexOfAnyExcept(colour) < 0));

                // The polygon's area and its pixel count agree to within its perimeter (pixel-centre sampling).
                var pixels = spans.Sum(s => s.X1 - s.X0);
                var perimeter = poly.Exterior.Zip(poly.Exterior.Skip(1).Append(poly.Exterior[0]), (a, b) => Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)))).Sum();
                Assert.InRange(pixels, poly.Area() - perimeter, poly.Area() + perimeter);
            }
        }
    }

    [Fact]
    public async Task Sample_model_detects_the_generated_shapes()
    {
        // shapes-det.onnx (../shared/data/models, README: mAP@0.50 0.93 on its own validation set) was trained on this
        // style of scene; on 40 generated scenes it must find at least 85% of the shapes at IoU ≥ 0.5 with the right class.
        var spec = new SyntheticSpec { Seed = 7 };
        var scenes = Enumerable.Range(0, 40).Select(i => SyntheticScenes.Generate(spec, i)).ToList();
        var inputs = scenes.Select((s, i) => new ImageInput($"s{i}", ImageCodec.Encode(s.Image, ImageFormat.Png))).ToList();
        using var detector = OnnxDetector.Load(SharedData.Resolve("models/shapes-det.onnx"), new DetectorOptions { Detection = DetectionOptions.Prediction });
        var results = await detector.DetectAsync(inputs, 8);
        int truths = 0, found = 0;
        for (var i = 0; i < scenes.Count; i++)
        {
            foreach (var label in scenes[i].Annotation.Labels)
            {
                truths++;
                var kind = Enum.Parse<ShapeKind>(label.ClassName, ignoreCase: true);
                if (results[i].Detections.Any(d => d.ClassIndex == (int)kind && Iou(d.Box, label.Geometry.Bounds()) >= 0.5))
                {
                    found++;
                }
            }

            scenes[i].Image.Dispose();
        }

        Assert.True(found >= 0.85 * truths, $"found {found} of {truths}");
    }

    private static double Iou(BoxD a, BoxD b)
    {
        var i = Math.Max(0, Math.Min(a.Right, b.Right) - Math.Max(a.Left, b.Left)) * Math.Max(0, Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Top, b.Top));
        return i / ((a.Width * a.Height) + (b.Width * b.Height) - i);
    }
}
