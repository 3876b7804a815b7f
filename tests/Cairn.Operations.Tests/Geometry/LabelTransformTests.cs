using Cairn.Core.Masks;
using Cairn.Core.Model;
using Cairn.Operations.Geometry;

namespace Cairn.Operations.Tests.Geometry;

public sealed class LabelTransformTests
{
    private static readonly Affine HFlip100 = new(-1, 0, 100, 0, 1, 0); // x → 100 − x on a 100-wide image

    [Fact]
    public void Box_under_hflip_mirrors_its_edges()
    {
        // By hand: x' = 100 − x, so left 10 → 90 and right 30 → 70; y unchanged.
        var labels = new[] { new Label("car", new RectangleGeometry(new BoxD(10, 5, 30, 20))) };
        var result = LabelTransform.Apply(labels, HFlip100, 100, 50, 100, 50, new BoxD(0, 0, 100, 50), 0);
        Assert.Equal(new BoxD(70, 5, 90, 20), ((RectangleGeometry)Assert.Single(result).Geometry).Box);
    }

    [Fact]
    public void Polygon_rotated_90_degrees_maps_each_vertex_exactly()
    {
        // Counter-clockwise 90° about (50, 50) in y-down coordinates: (x, y) → (y, 100 − x).
        var map = Affine.Rotation(90, 50, 50);
        var poly = new PolygonGeometry([new(10, 20), new(40, 20), new(10, 60)]);
        var result = LabelTransform.Apply([new Label("t", poly)], map, 100, 100, 100, 100, new BoxD(0, 0, 100, 100), 0);
        var got = (PolygonGeometry)Assert.Single(result).Geometry;
        Assert.Equal([new PointD(20, 90), new PointD(20, 60), new PointD(60, 90)], got.Exterior);
    }

    [Fact]
    public void Box_rotated_90_degrees_is_refitted_from_its_corners()
    {
        // Corners (10,20),(40,20),(40,30),(10,30) → (20,90),(20,60),(30,60),(30,90): box x 20..30, y 60..90.
        var result = LabelTransform.Apply([new Label("b", new RectangleGeometry(new BoxD(10, 20, 40, 30)))], Affine.Rotation(90, 50, 50), 100, 100, 100, 100, new BoxD(0, 0, 100, 100), 0);
        Assert.Equal(new BoxD(20, 60, 30, 90), ((RectangleGeometry)Assert.Single(result).Geometry).Box);
    }

    [Theory]
    [InlineData(0.4, true)]
    [InlineData(0.6, false)]
    public void Crop_clips_polygon_and_applies_min_visible_fraction(double minVisible, bool kept)
    {
        // Square 40..60 × 10..30 (area 400); crop x ≥ 50 keeps 50..60 → 0..10 after the shift: area 200, fraction 0.5.
        var square = new PolygonGeometry([new(40, 10), new(60, 10), new(60, 30), new(40, 30)]);
        var result = LabelTransform.Apply([new Label("s", square)], Affine.Translation(-50, 0), 100, 100, 50, 100, new BoxD(0, 0, 50, 100), minVisible);
        if (!kept)
        {
            Assert.Empty(result);
            return;
        }

        var got = (PolygonGeometry)Assert.Single(result).Geometry;
        Assert.Equal(200, got.Area(), 9);
        Assert.Equal(new BoxD(0, 10, 10, 30), got.Bounds());
    }

    [Fact]
    public void Polygon_hole_is_clipped_with_the_exterior()
    {
        // Exterior 0..40 square (1600) with hole 10..30 (400); crop to x < 20 keeps 800 − 200 = 600.
        var poly = new PolygonGeometry(
            [new(0, 0), new(40, 0), new(40, 40), new(0, 40)],
            [new List<PointD> { new(10, 10), new(30, 10), new(30, 30), new(10, 30) }]);
        var result = LabelTransform.Apply([new Label("h", poly)], Affine.Identity, 40, 40, 20, 40, new BoxD(0, 0, 20, 40), 0);
        var got = (PolygonGeometry)Assert.Single(result).Geometry;
        Assert.Single(got.Interiors);
        Assert.Equal(600, got.Area(), 9);
    }

    [Fact]
    public void Labels_entirely_outside_the_crop_are_removed()
    {
        var labels = new[]
        {
            new Label("box", new RectangleGeometry(new BoxD(80, 80, 90, 90))),
            new Label("pt", new PointGeometry(new PointD(85, 85))),
            new Label("line", new PolylineGeometry([new(70, 70), new(95, 95)])),
        };
        var result = LabelTransform.Apply(labels, Affine.Identity, 100, 100, 50, 50, new BoxD(0, 0, 50, 50), 0);
        Assert.Empty(result);
    }

    [Fact]
    public void Mask_hflip_mirrors_columns()
    {
        // 4 wide × 3 high, foreground at (x=0, y=0), (x=1, y=1), (x=1, y=2). Column-major: index x·3 + y.
        var mask = new byte[12];
        mask[0] = 1;
        mask[(1 * 3) + 1] = 1;
        mask[(1 * 3) + 2] = 1;
        var rle = Rle.Encode(mask, 3, 4);
        var flip = new Affine(-1, 0, 4, 0, 1, 0);
        var result = LabelTransform.Apply([new Label("m", new MaskGeometry(rle))], flip, 4, 3, 4, 3, new BoxD(0, 0, 4, 3), 0);
        var got = ((MaskGeometry)Assert.Single(result).Geometry).Rle.Decode();

        // Mirrored: x → 3 − x, so (3, 0), (2, 1), (2, 2).
        var expected = new byte[12];
        expected[3 * 3] = 1;
        expected[(2 * 3) + 1] = 1;
        expected[(2 * 3) + 2] = 1;
        Assert.Equal(expected, got);
    }

    [Fact]
    public void Keypoints_swap_left_and_right_under_a_mirror_when_the_template_names_them()
    {
        var template = new KeypointTemplate(["nose", "left_eye", "right_eye"], []);
        var meta = new ProjectMeta([new ObjClass("face", GeometryKind.Keypoints, "#ff0000", template)], []);
        var kp = new KeypointsGeometry([new Keypoint(50, 10, 2), new Keypoint(40, 8, 2), new Keypoint(60, 8, 1)]);
        var result = LabelTransform.Apply([new Label("face", kp)], HFlip100, 100, 50, 100, 50, new BoxD(0, 0, 100, 50), 0, meta);
        var nodes = ((KeypointsGeometry)Assert.Single(result).Geometry).Nodes;

        // left_eye now holds the mirrored right eye (100 − 60 = 40, visibility 1), and vice versa.
        Assert.Equal(new Keypoint(50, 10, 2), nodes[0]);
        Assert.Equal(new Keypoint(40, 8, 1), nodes[1]);
        Assert.Equal(new Keypoint(60, 8, 2), nodes[2]);
    }

    [Fact]
    public void Polyline_leaving_and_reentering_the_window_becomes_two_pieces()
    {
        // A V from (10,10) down to (30,90) and back up to (50,10), clipped to y ≤ 50: two pieces.
        var line = new PolylineGeometry([new(10, 10), new(30, 90), new(50, 10)]);
        var result = LabelTransform.Apply([new Label("l", line)], Affine.Identity, 100, 100, 100, 50, new BoxD(0, 0, 100, 50), 0);
        Assert.Equal(2, result.Count);
        Assert.Equal([new PointD(10, 10), new PointD(20, 50)], ((PolylineGeometry)result[0].Geometry).Points);
        Assert.Equal([new PointD(40, 50), new PointD(50, 10)], ((PolylineGeometry)result[1].Geometry).Points);
    }
}
