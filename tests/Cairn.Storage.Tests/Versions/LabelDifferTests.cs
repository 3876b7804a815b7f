using Cairn.Core.Model;
using Cairn.Storage.Versions;

namespace Cairn.Storage.Tests.Versions;

public sealed class LabelDifferTests
{
    private static Label Box(string cls, double l, double t, double r, double b) => new(cls, new RectangleGeometry(new BoxD(l, t, r, b)), []);

    private static Label Point(string cls, double x, double y) => new(cls, new PointGeometry(new PointD(x, y)), []);

    private static Annotation Ann(params Label[] labels) => new(1000, 500, [], labels);

    private static int Count(IReadOnlyList<LabelChange> changes, LabelChangeKind kind) => changes.Count(c => c.Kind == kind);

    [Fact]
    public void Identical_labels_are_the_same_and_a_new_one_is_added()
    {
        var before = Ann(Box("cat", 0, 0, 10, 10), Box("dog", 100, 100, 200, 200));
        var after = Ann(Box("dog", 100, 100, 200, 200), Box("cat", 0, 0, 10, 10), Box("cat", 500, 300, 600, 400));
        var d = LabelDiffer.Diff(before, after);
        Assert.Equal(2, Count(d, LabelChangeKind.Same));
        var added = Assert.Single(d, c => c.Kind == LabelChangeKind.Added);
        Assert.Null(added.Before);
        Assert.Equal(500, ((RectangleGeometry)added.After!.Geometry).Box.Left);
        Assert.Equal(3, d.Count);
    }

    [Fact]
    public void A_moved_or_reclassed_box_that_still_overlaps_is_changed_and_one_that_jumped_is_removed_and_added()
    {
        // IoU of [0,0,100,100] and [10,0,110,100] is 90/110 = 0.82 (≥ 0.5): one label changed.
        // IoU of [300,0,400,100] and [370,0,470,100] is 30/170 = 0.18: removed and added.
        var before = Ann(Box("cat", 0, 0, 100, 100), Box("cat", 300, 0, 400, 100));
        var after = Ann(Box("dog", 10, 0, 110, 100), Box("cat", 370, 0, 470, 100));
        var d = LabelDiffer.Diff(before, after);
        var changed = Assert.Single(d, c => c.Kind == LabelChangeKind.Changed);
        Assert.Equal("cat", changed.Before!.ClassName);
        Assert.Equal("dog", changed.After!.ClassName);
        Assert.Equal(1, Count(d, LabelChangeKind.Removed));
        Assert.Equal(1, Count(d, LabelChangeKind.Added));
    }

    [Fact]
    public void Points_pair_within_two_percent_of_the_longer_side_and_shapes_never_pair_across_kinds()
    {
        // 2 % of 1,000 px is 20 px: a point moved 15 px is changed, one moved 30 px is removed and added.
        var before = Ann(Point("eye", 100, 100), Point("eye", 500, 100), Box("cat", 0, 0, 50, 50));
        var after = Ann(Point("eye", 115, 100), Point("eye", 530, 100), new Label("cat", new PolygonGeometry([new(0, 0), new(50, 0), new(50, 50), new(0, 50)], []), []));
        var d = LabelDiffer.Diff(before, after);
        var changed = Assert.Single(d, c => c.Kind == LabelChangeKind.Changed);
        Assert.Equal(115, ((PointGeometry)changed.After!.Geometry).Point.X);
        Assert.Equal(2, Count(d, LabelChangeKind.Removed));
        Assert.Equal(2, Count(d, LabelChangeKind.Added));
    }

    [Fact]
    public void Duplicate_labels_pair_one_to_one()
    {
        var before = Ann(Box("cat", 0, 0, 10, 10), Box("cat", 0, 0, 10, 10));
        var after = Ann(Box("cat", 0, 0, 10, 10));
        var d = LabelDiffer.Diff(before, after);
        Assert.Equal(1, Count(d, LabelChangeKind.Same));
        Assert.Equal(1, Count(d, LabelChangeKind.Removed));
    }
}
