using System.Security.Cryptography;
using Cairn.Core.Model;
using Cairn.Operations.Augment;
using Cairn.Operations.Augment.Steps;
using Cairn.Operations.Imaging;

namespace Cairn.Operations.Tests.Augment;

public sealed class AugmentPipelineTests
{
    private const string Issue8Pipeline = """
        {
          "version": 1, "seed": 8, "output": {"format": "jpeg", "quality": 90},
          "steps": [
            {"op": "hflip"}, {"op": "rotate", "angle": 15}, {"op": "gaussianNoise", "sigma": 8},
            {"op": "gaussianBlur", "kernel": 5}, {"op": "contrast", "factor": 1.1, "center": 0}, {"op": "brightness", "delta": 10}
          ]
        }
        """;

    private static AugmentInput Input(string key = "a/img1.jpg")
    {
        using var img = TestImages.Gradient(96, 64);
        var bytes = ImageCodec.Encode(img, ImageFormat.Png);
        var ann = new Annotation(96, 64, [], [new Label("box", new RectangleGeometry(new BoxD(10, 10, 40, 30)))]);
        return new AugmentInput(key, bytes, ann);
    }

    [Fact]
    public void Same_seed_gives_byte_identical_images_and_labels()
    {
        var pipeline = AugmentPipeline.FromJson(Issue8Pipeline);
        var a = Assert.Single(pipeline.Run(Input()));
        var b = Assert.Single(pipeline.Run(Input()));
        Assert.Equal(a.Image, b.Image);
        Assert.Equal(a.Annotation, b.Annotation);
    }

    [Fact]
    public void Output_of_the_issue_8_pipeline_is_pinned()
    {
        // Golden value recorded from this implementation (JPEG encoder, warp, noise table, blur and LUT all fixed by
        // our code, none by the runtime or Skia's encoder). It changes only when the pixel output deliberately changes.
        var output = Assert.Single(AugmentPipeline.FromJson(Issue8Pipeline).Run(Input()));
        Assert.Equal("69e3307558b1af1713866986a916afcac5e07994a8232ff54909b505640d80ef", Convert.ToHexStringLower(SHA256.HashData(output.Image)));

        // Labels by hand: hflip (x → 96 − x) gives box 56..86 × 10..30; a 15° turn about (48, 32) moves its corners to
        // x' = 48 + (x − 48)cos15 + (y − 32)sin15, y' = 32 − (x − 48)sin15 + (y − 32)cos15.
        var (s, c) = Math.SinCos(15 * Math.PI / 180);
        double[] xs = [56, 86, 86, 56], ys = [10, 10, 30, 30];
        var mx = xs.Zip(ys, (x, y) => 48 + ((x - 48) * c) + ((y - 32) * s)).ToArray();
        var my = xs.Zip(ys, (x, y) => 32 - ((x - 48) * s) + ((y - 32) * c)).ToArray();
        var box = ((RectangleGeometry)Assert.Single(output.Annotation.Labels).Geometry).Box;
        Assert.Equal(mx.Min(), box.Left, 9);
        Assert.Equal(my.Min(), box.Top, 9);
        Assert.Equal(Math.Min(96, mx.Max()), box.Right, 9);
        Assert.Equal(my.Max(), box.Bottom, 9);
    }

    [Fact]
    public void Different_keys_and_output_indices_get_different_random_draws()
    {
        var pipeline = new AugmentPipeline(new AugmentSpec { Seed = 3, OutputsPerImage = 2, Steps = [new Rotate { Angle = new ParamRange(-30, 30) }] });
        var first = pipeline.Run(Input("k1"));
        var other = pipeline.Run(Input("k2"));
        Assert.NotEqual(first[0].Image, first[1].Image);
        Assert.NotEqual(first[0].Image, other[0].Image);
    }

    [Fact]
    public void Hflip_mirrors_pixels_exactly()
    {
        using var src = TestImages.Gradient(37, 23);
        var pipeline = new AugmentPipeline(new AugmentSpec { Steps = [new HorizontalFlip()] });
        var (img, _) = pipeline.Apply(src, Annotation.Empty(37, 23), "k", 0);
        using (img)
        {
            for (var y = 0; y < 23; y++)
            {
                for (var x = 0; x < 37; x++)
                {
                    Assert.Equal(src.Pixels[(y * 37) + 36 - x], img.Pixels[(y * 37) + x]);
                }
            }
        }
    }

    [Fact]
    public void Gaussian_blur_5x5_of_an_impulse_matches_opencvs_kernel()
    {
        // OpenCV's 5-tap table is (1, 4, 6, 4, 1)/16, so the centre of a 255 impulse becomes 255·36/256 = 35.9 → 36
        // and its corner 255·1/256 → 1.
        using var src = new RgbaImage(9, 9);
        src.Pixels.Fill(0xFF000000u);
        src.Pixels[40] = 0xFFFFFFFFu;
        using var blurred = Cairn.Operations.Imaging.GaussianBlur.Apply(src, 5, 0);
        Assert.Equal(36u, blurred.Pixels[40] & 0xFF);
        Assert.Equal(1u, blurred.Pixels[(2 * 9) + 2] & 0xFF);
        Assert.Equal(0u, blurred.Pixels[(1 * 9) + 1] & 0xFF);
    }

    [Fact]
    public void Contrast_then_brightness_fuse_into_x_times_gain_plus_offset()
    {
        using var src = new RgbaImage(4, 1);
        src.Pixels[0] = 0xFF000000u;          // 0 → 10
        src.Pixels[1] = 0xFF000064u;          // R 100 → 120
        src.Pixels[2] = 0xFF0000E6u;          // R 230 → 263 → 255
        src.Pixels[3] = 0xFF000032u;          // R 50 → 65
        var pipeline = new AugmentPipeline(new AugmentSpec { Steps = [new Contrast { Factor = 1.1, Center = 0 }, new Brightness { Delta = 10 }] });
        var (img, _) = pipeline.Apply(src, Annotation.Empty(4, 1), "k", 0);
        using (img)
        {
            Assert.Equal([10u, 120u, 255u, 65u], img.Pixels.ToArray().Select(p => p & 0xFF));
        }
    }

    [Fact]
    public void Json_errors_name_the_path_and_what_was_expected()
    {
        var unknown = Assert.Throws<FormatException>(() => AugmentPipeline.FromJson("""{"steps": [{"op": "spin"}]}""", "p.json"));
        Assert.Contains("p.json", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("$.steps[0]", unknown.Message, StringComparison.Ordinal);

        var badP = Assert.Throws<FormatException>(() => AugmentPipeline.FromJson("""{"steps": [{"op": "hflip"}, {"op": "vflip", "p": 2}]}""", "p.json"));
        // The path reaches the parameter, so a form can put the message beside its field.
        Assert.Contains("$.steps[1].p: 2 is outside [0, 1]", badP.Message, StringComparison.Ordinal);

        var badRange = Assert.Throws<FormatException>(() => AugmentPipeline.FromJson("""{"steps": [{"op": "rotate", "angle": [10, -10]}]}""", "p.json"));
        Assert.Contains("maximum below its minimum", badRange.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_round_trips_through_json()
    {
        var pipeline = AugmentPipeline.FromJson(Issue8Pipeline);
        var again = AugmentPipeline.FromJson(pipeline.ToJson());
        Assert.Equal(pipeline.Spec.Steps, again.Spec.Steps);
        Assert.Equal(pipeline.Spec.Seed, again.Spec.Seed);
    }

    [Fact]
    public async Task Runner_reports_the_input_that_failed()
    {
        var pipeline = AugmentPipeline.FromJson(Issue8Pipeline);
        var inputs = new[] { Input("good"), new AugmentInput("train/broken.jpg", new byte[] { 1, 2, 3 }, Annotation.Empty(1, 1)) };
        var e = await Assert.ThrowsAsync<InvalidDataException>(() =>
            AugmentRunner.RunAsync(pipeline, inputs.ToAsyncEnumerable(), (_, _) => ValueTask.CompletedTask, workers: 2));
        Assert.Contains("train/broken.jpg", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parallel_runner_gives_the_same_outputs_as_sequential_runs()
    {
        var pipeline = AugmentPipeline.FromJson(Issue8Pipeline);
        var inputs = Enumerable.Range(0, 12).Select(i => Input($"img{i}") with { Tag = i }).ToList();
        var expected = inputs.ToDictionary(i => i.Key, i => Assert.Single(pipeline.Run(i)).Image);
        var got = new Dictionary<string, byte[]>();
        var n = await AugmentRunner.RunAsync(pipeline, inputs.ToAsyncEnumerable(), (o, _) =>
        {
            Assert.Equal($"img{o.Tag}", o.Key); // the caller's state comes back with its output
            got[o.Key] = o.Image;
            return ValueTask.CompletedTask;
        }, workers: 3);
        Assert.Equal(12, n);
        foreach (var (key, bytes) in expected)
        {
            Assert.Equal(bytes, got[key]);
        }
    }
}
