using Cairn.Core.Masks;

namespace Cairn.Core.Tests.Masks;

/// <summary>Hand-checked cases for the pycocotools-compatible mask operations (values worked out from maskApi.c).</summary>
public sealed class RleOpsTests
{
    [Fact]
    public void Integer_box_rasterises_to_its_pixels()
    {
        // rleFrBbox([2, 3, 4, 5]) on 10×10: columns 2..5, rows 3..7 → 4 × 5 = 20 pixels.
        var rle = RleOps.FromBox(2, 3, 4, 5, 10, 10);
        Assert.Equal(20u, RleOps.Area(rle.Counts));
        Assert.Equal((2.0, 3.0, 4.0, 5.0), RleOps.BoundingBox(rle.Counts, 10, 10));
        var mask = rle.Decode();
        Assert.Equal(1, mask[(2 * 10) + 3]); // column-major: x * height + y
        Assert.Equal(0, mask[(6 * 10) + 3]);
    }

    [Fact]
    public void Triangle_covers_pixels_whose_centres_are_inside()
    {
        // Right triangle (0,0) (4,0) (0,4) on 5×5. Pixel (x, y) has its centre at (x + .5, y + .5); centres with
        // x + y ≤ 2 are inside (6 pixels), the four on the hypotenuse x + y = 3 fall outside.
        var rle = RleOps.FromPolygon([0, 0, 4, 0, 0, 4], 5, 5);
        Assert.Equal(6u, RleOps.Area(rle.Counts));
        var mask = rle.Decode();
        Assert.Equal(1, mask[(2 * 5) + 0]);
        Assert.Equal(0, mask[(3 * 5) + 0]);
    }

    [Fact]
    public void Merge_unions_and_intersects()
    {
        var a = RleOps.FromBox(0, 0, 10, 10, 20, 20);
        var b = RleOps.FromBox(5, 5, 10, 10, 20, 20);
        Assert.Equal(175u, RleOps.Area(RleOps.Merge([a, b], intersect: false).Counts)); // 100 + 100 - 25
        Assert.Equal(25u, RleOps.Area(RleOps.Merge([a, b], intersect: true).Counts));
        Assert.Equal(0, RleOps.Merge([a, RleOps.FromBox(0, 0, 1, 1, 5, 5)], false).Height); // sizes differ: empty, as rleMerge
    }

    [Fact]
    public void Iou_and_crowd_iou()
    {
        var a = RleOps.FromBox(0, 0, 10, 10, 20, 20);
        var b = RleOps.FromBox(5, 5, 10, 10, 20, 20);
        Assert.Equal(25.0 / 175.0, RleOps.Iou(a.Counts, b.Counts, crowd: false), 15);
        Assert.Equal(25.0 / 100.0, RleOps.Iou(a.Counts, b.Counts, crowd: true), 15); // union = detection area
        Assert.Equal(1.0, RleOps.Iou(a.Counts, a.Counts, false));
        Assert.Equal(0.0, RleOps.Iou(a.Counts, RleOps.FromBox(15, 15, 2, 2, 20, 20).Counts, false));
    }

    [Fact]
    public void Bounding_box_spans_full_height_when_a_run_crosses_columns()
    {
        // h=4, w=3: rows 2-3 of column 0 and rows 0-1 of column 1 form one run; rleToBbox then takes the full height.
        uint[] counts = [2, 4, 6];
        Assert.Equal((0.0, 0.0, 2.0, 4.0), RleOps.BoundingBox(counts, 4, 3));
    }

    [Fact]
    public void Fast_bounding_box_equals_the_transliterated_rleToBbox()
    {
        // Random run lengths (zeros included, as merges and odd encoders produce them) on random sizes, and
        // rasterised polygons; the incremental walk must give exactly what the C code's divisions give.
        var rng = new Random(5);
        for (var i = 0; i < 3000; i++)
        {
            int h = rng.Next(1, 40), w = rng.Next(1, 40);
            uint[] counts;
            if (i % 3 == 0)
            {
                var xy = Enumerable.Range(0, 2 * rng.Next(3, 9)).Select(k => rng.NextDouble() * (k % 2 == 0 ? w : h) * 1.2 - 2).ToArray();
                counts = RleOps.PolygonCounts(xy, h, w);
            }
            else
            {
                var list = new List<uint>();
                var left = h * w;
                while (left > 0)
                {
                    var c = rng.Next(0, 4) == 0 ? 0 : rng.Next(1, Math.Min(left, 2 * h) + 1);
                    c = Math.Min(c, left);
                    list.Add((uint)c);
                    left -= c;
                }

                counts = [.. list];
            }

            Assert.Equal(RleOps.BoundingBoxReference(counts, h, w), RleOps.BoundingBox(counts, h, w));
        }
    }

    [Fact]
    public void Compressed_string_round_trips_and_rejects_garbage()
    {
        var rle = RleOps.FromPolygon([1.5, 2, 30, 4, 25, 40, 3, 35], 50, 40);
        var s = rle.ToCompressedString();
        Assert.True(RleOps.TryDecodeCompressed(System.Text.Encoding.ASCII.GetBytes(s), 50, 40, out var counts, out _));
        Assert.Equal(rle.Counts, counts);
        Assert.False(RleOps.TryDecodeCompressed("a"u8, 50, 40, out _, out var error)); // 'a' has the continuation bit: ends inside a count
        Assert.Contains("ends inside", error);
        Assert.False(RleOps.TryDecodeCompressed(System.Text.Encoding.ASCII.GetBytes(s), 50, 41, out _, out error));
        Assert.Contains("sum to", error);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("1a!")]
    [InlineData("ooooooooooooooo1")]
    [InlineData("01")]
    public void String_and_byte_forms_decode_alike(string s)
    {
        // One decoder behind both: annotation documents hold strings, JSON readers hand over UTF-8 bytes.
        var fromBytes = RleOps.TryDecodeCompressed(System.Text.Encoding.ASCII.GetBytes(s), 1, 1, out var a, out var byteError);
        var fromString = Rle.TryFromCompressedString(s, 1, 1, out var rle, out var stringError);
        Assert.Equal(fromBytes, fromString);
        Assert.Equal(byteError, stringError);
        Assert.Equal(a, rle?.Counts ?? []);
    }

    [Fact]
    public void Decoding_into_a_caller_buffer_gives_the_counts_and_errors_of_the_array_form()
    {
        var rle = RleOps.FromPolygon([1.5, 2, 30, 4, 25, 40, 3, 35], 50, 40);
        var s = System.Text.Encoding.ASCII.GetBytes(rle.ToCompressedString());
        var buffer = new uint[s.Length + 3];
        buffer.AsSpan().Fill(uint.MaxValue);
        Assert.True(RleOps.TryDecodeCompressed(s, 50, 40, buffer, out var n, out _));
        Assert.Equal(rle.Counts, buffer[..n]);

        Assert.False(RleOps.TryDecodeCompressed(s, 50, 41, buffer, out n, out var error));
        Assert.Equal(0, n);
        Assert.Contains("sum to", error);
        Assert.False(RleOps.TryDecodeCompressed("1a!"u8, 1, 1, buffer, out _, out error));
        RleOps.TryDecodeCompressed("1a!"u8, 1, 1, out _, out var arrayError);
        Assert.Equal(arrayError, error);

        // A count takes at least one character, so room for one per character is the documented need.
        Assert.Throws<ArgumentException>(() => RleOps.TryDecodeCompressed(s, 50, 40, new uint[s.Length - 1], out _, out _));
    }

    [Fact]
    public void Polygons_rasterise_alike_whatever_was_rasterised_before_on_the_thread()
    {
        // The rasteriser reuses per-thread scratch: a long outline, then a short one, must not see the long one's leftovers.
        double[] small = [1.5, 2, 9, 3, 6, 8];
        double[] large = [0, 0, 390, 10, 380, 290, 5, 280, 200, 150];
        var first = RleOps.FromPolygon(small, 12, 12).Counts;
        var big = RleOps.FromPolygon(large, 300, 400).Counts;
        var again = RleOps.FromPolygon(small, 12, 12).Counts;
        Assert.Equal(first, again);
        Assert.Equal(big, RleOps.FromPolygon(large, 300, 400).Counts);
        Assert.Equal(300u * 400, (uint)big.Sum(c => (long)c));
    }
}
