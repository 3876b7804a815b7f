using Cairn.Inference.Internal;

namespace Cairn.Inference.Tests;

public sealed class LetterboxTests
{
    private const float Pad = 114f / 255f;

    [Theory]
    // Hand-computed with ultralytics LetterBox: r = min(256/200, 256/300) = 0.8533; unpad = (round(256.0), round(170.67)) = (256, 171);
    // dh = 42.5 → top = round(42.4) = 42, bottom = round(42.6) = 43.
    [InlineData(300, 200, 256, 256, 256, 171, 0, 42, 0, 43)]
    // Portrait: r = 256/300; unpad = (171, 256); dw = 42.5 → left 42, right 43.
    [InlineData(200, 300, 256, 256, 171, 256, 42, 0, 43, 0)]
    // 640×480 into 640: r = 1, no resize; dh = 80 → top round(79.9) = 80, bottom round(80.1) = 80.
    [InlineData(640, 480, 640, 640, 640, 480, 0, 80, 0, 80)]
    // Upscaling (scaleup=True): 100×50 into 256: r = 2.56, unpad (256, 128), dh = 64 → 64/64.
    [InlineData(100, 50, 256, 256, 256, 128, 0, 64, 0, 64)]
    // Python rounds half to even: 5×2 into 10×10 gives r = 2, unpad (10, 4), dh = 3 → top round(2.9) = 3, bottom round(3.1) = 3;
    // 3×1 into 4×4: r = 4/3, unpad (round(4.0), round(1.333)) = (4, 1), dh = 1.5 → top round(1.4) = 1, bottom round(1.6) = 2.
    [InlineData(5, 2, 10, 10, 10, 4, 0, 3, 0, 3)]
    [InlineData(3, 1, 4, 4, 4, 1, 0, 1, 0, 2)]
    public void Letterbox_geometry_matches_hand_computed_padding(
        int w, int h, int tw, int th, int uw, int uh, int left, int top, int right, int bottom)
    {
        var t = LetterboxTransform.Compute(w, h, tw, th);
        Assert.Equal((uw, uh), (t.ResizedWidth, t.ResizedHeight));
        Assert.Equal((left, top, right, bottom), (t.PadLeft, t.PadTop, t.PadRight, t.PadBottom));
        Assert.Equal(tw, t.PadLeft + t.ResizedWidth + t.PadRight);
        Assert.Equal(th, t.PadTop + t.ResizedHeight + t.PadBottom);
    }

    [Fact]
    public void Non_square_image_is_scaled_into_the_middle_with_grey_bars()
    {
        // A uniform 300×200 image: every resized pixel keeps its colour (weights sum to 2^11), bars are 114.
        var rgba = Uniform(300, 200, 10, 20, 30);
        var t = LetterboxTransform.Compute(300, 200, 256, 256);
        var chw = new float[3 * 256 * 256];
        Letterbox.Apply(rgba, 300 * 4, in t, chw);
        for (var y = 0; y < 256; y++)
        {
            var inside = y >= 42 && y < 42 + 171;
            for (var x = 0; x < 256; x += 17)
            {
                Assert.Equal(inside ? 10f / 255f : Pad, chw[(y * 256) + x]);
                Assert.Equal(inside ? 20f / 255f : Pad, chw[(256 * 256) + (y * 256) + x]);
                Assert.Equal(inside ? 30f / 255f : Pad, chw[(2 * 256 * 256) + (y * 256) + x]);
            }
        }
    }

    [Fact]
    public void Bilinear_resize_follows_opencv_half_pixel_fixed_point()
    {
        // Row [0, 255] (grey) upscaled to width 4: OpenCV INTER_LINEAR samples source x = (dx + 0.5) / 2 - 0.5
        // = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1): 0, 255·0.25 = 63.75 → 64, 255·0.75 = 191.25 → 191, 255.
        byte[] rgba = [0, 0, 0, 255, 255, 255, 255, 255];
        var t = LetterboxTransform.Compute(2, 1, 4, 4); // r = 2: resized 4×2, one bar row above and below
        Assert.Equal((4, 2, 1, 1), (t.ResizedWidth, t.ResizedHeight, t.PadTop, t.PadBottom));
        var chw = new float[3 * 16];
        Letterbox.Apply(rgba, 8, in t, chw);
        float[] expected = [0, 64 / 255f, 191 / 255f, 1f];
        Assert.Equal(expected, chw.AsSpan(4, 4).ToArray());
        Assert.Equal(expected, chw.AsSpan(8, 4).ToArray());
        Assert.All(chw.AsSpan(0, 4).ToArray(), v => Assert.Equal(Pad, v));
        Assert.All(chw.AsSpan(12, 4).ToArray(), v => Assert.Equal(Pad, v));
    }

    [Fact]
    public void Opencv_weights_for_a_downscale_sum_to_one()
    {
        // 7 → 3 columns: scale 7/3; source x = (dx + 0.5)·7/3 − 0.5 = 0.667, 3.0, 5.333.
        var offsets = new int[3];
        var weights = new short[6];
        Letterbox.Coefficients(7, 3, offsets, weights);
        Assert.Equal([0, 3, 5], offsets);
        Assert.Equal([(short)683, (short)1365, (short)2048, (short)0, (short)1365, (short)683], weights);
    }

    [Fact]
    public void Boxes_map_back_through_the_letterbox_and_are_clipped()
    {
        var t = LetterboxTransform.Compute(300, 200, 256, 256); // r = 0.85333, pad top 42
        Assert.Equal(150, t.MapX(128f), 4); // 128 / 0.85333
        Assert.Equal(0, t.MapY(10f)); // inside the top bar → clipped to 0
        Assert.Equal(200, t.MapY(250f)); // bottom bar → clipped to the height
        Assert.Equal((100 - 42) / (256.0 / 300), t.MapY(100f), 4);
    }

    [Theory]
    [InlineData(97, 61, 64)] // downscale, bars above and below
    [InlineData(37, 23, 64)] // upscale
    [InlineData(50, 90, 64)] // portrait, bars left and right
    public void Letterbox_matches_ultralytics_with_cv2_bit_for_bit(int w, int h, int target)
    {
        // Reference: Data/make_letterbox_reference.py (Ultralytics LetterBox code with cv2 4.6.0 INTER_LINEAR), HWC RGB bytes.
        // Tolerance: none. The exact fixed-point formula instead of OpenCV's vectorised one misses on about 900 values here.
        var reference = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", $"letterbox_{w}x{h}_to_{target}.rgb"));
        var rgba = new byte[w * h * 4];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var i = ((y * w) + x) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = ((byte)((x * 7) + (y * 13)), (byte)((x * x) + (y * 3)), (byte)(x * y), 255);
            }
        }

        var t = LetterboxTransform.Compute(w, h, target, target);
        var chw = new float[3 * target * target];
        Letterbox.Apply(rgba, w * 4, in t, chw);
        var plane = target * target;
        int off = 0, maxDiff = 0;
        for (var p = 0; p < plane; p++)
        {
            for (var c = 0; c < 3; c++)
            {
                var ours = (int)MathF.Round(chw[(c * plane) + p] * 255f);
                var diff = Math.Abs(ours - reference[(p * 3) + c]);
                maxDiff = Math.Max(maxDiff, diff);
                off += diff > 0 ? 1 : 0;
            }
        }

        Assert.True(off == 0, $"{off} of {3 * plane} values differ, by up to {maxDiff}");
    }

    [Fact]
    public void Vectorised_row_split_equals_the_scalar_division_for_every_byte()
    {
        // 259 pixels: all 256 byte values in each channel (rotated per channel) and a 3-pixel scalar tail.
        const int n = 259;
        var src = new byte[4 * n];
        for (var i = 0; i < n; i++)
        {
            (src[4 * i], src[(4 * i) + 1], src[(4 * i) + 2], src[(4 * i) + 3]) = ((byte)i, (byte)(i + 85), (byte)(i + 170), 7);
        }

        float[] r = new float[n], g = new float[n], b = new float[n];
        Letterbox.RgbaRowToPlanes(src, r, g, b);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal((byte)i / 255f, r[i]);
            Assert.Equal((byte)(i + 85) / 255f, g[i]);
            Assert.Equal((byte)(i + 170) / 255f, b[i]);
        }
    }

    private static byte[] Uniform(int w, int h, byte r, byte g, byte b)
    {
        var data = new byte[w * h * 4];
        for (var i = 0; i < data.Length; i += 4)
        {
            (data[i], data[i + 1], data[i + 2], data[i + 3]) = (r, g, b, 255);
        }

        return data;
    }
}
