using Cairn.Core.Masks;
using Cairn.Core.Model;
using Cairn.Operations.Geometry;

namespace Cairn.Operations.Tests.Geometry;

public sealed class RasterTests
{
    [Fact]
    public void Box_polygon_fills_the_pixels_whose_centres_it_covers()
    {
        // Square 2..5 × 1..3 covers centres x ∈ {2.5, 3.5, 4.5}, y ∈ {1.5, 2.5}: 6 pixels.
        var rle = Rasterizer.ToRle(new PolygonGeometry([new(2, 1), new(5, 1), new(5, 3), new(2, 3)]), 8, 6);
        Assert.Equal(6, rle.Area());
        Assert.Equal(new BoxD(2, 1, 5, 3), rle.Bounds());
    }

    [Fact]
    public void Hole_is_left_empty()
    {
        var poly = new PolygonGeometry([new(0, 0), new(6, 0), new(6, 6), new(0, 6)], [new List<PointD> { new(2, 2), new(4, 2), new(4, 4), new(2, 4) }]);
        Assert.Equal(36 - 4, Rasterizer.ToRle(poly, 6, 6).Area());
    }

    [Fact]
    public void Traced_contours_rasterise_back_to_the_same_mask()
    {
        // Two parts: an L with a 1-pixel hole-free notch, and a ring with a hole; plus two pixels touching diagonally.
        const int w = 12, h = 9;
        string[] rows =
        [
            "##......###.",
            "##......#.#.",
            "####....###.",
            "####........",
            "............",
            ".#..........",
            "..#...####..",
            "......#..#..",
            "......####..",
        ];
        var mask = new byte[w * h];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                mask[(x * h) + y] = rows[y][x] == '#' ? (byte)1 : (byte)0;
            }
        }

        var polygons = ContourTracer.Trace(mask, w, h);

        // 4-connected parts: the L, the small ring, the two diagonal pixels separately, the big ring.
        Assert.Equal(5, polygons.Count);
        Assert.Equal(2, polygons.Count(p => p.Interiors.Count == 1));
        var back = Rasterizer.Fill(polygons.SelectMany(p => new[] { p.Exterior }.Concat(p.Interiors)), w, h);
        Assert.Equal(mask, back);
        Assert.Equal(Rle.Encode(mask, h, w).Area(), polygons.Sum(p => p.Area()));
    }
}
