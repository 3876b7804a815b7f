using Cairn.Core.Formats;
using Cairn.Core.Formats.Coco;
using Cairn.Core.Formats.Internal;
using Cairn.Core.Model;
using Cairn.TestSupport;

namespace Cairn.Core.Tests.Formats;

/// <summary>
/// Every format written and read back, and every pair chained, compared with what docs/formats.md says each format holds.
/// The expectation is derived label by label (<see cref="Expect"/>), never from the code under test's output.
/// </summary>
public sealed class CrossFormatTests
{
    public static TheoryData<string> Formats => new(DatasetFormats.Names);

    public static TheoryData<string, string> Pairs
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var a in DatasetFormats.Names)
            {
                foreach (var b in DatasetFormats.Names)
                {
                    if (a != b)
                    {
                        data.Add(a, b);
                    }
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Synthetic_project_round_trips_what_the_format_holds_and_reports_the_rest(string format)
    {
        using var project = new SyntheticProject();
        using var dir = new TempDir();
        var report = FormatTestKit.Write(format, project.Meta, project.Items, dir.Path);

        var expectedUnsupported = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var label in project.Items.SelectMany(i => i.Annotation.Labels))
        {
            if (Expect(format, label) is null)
            {
                var kind = KindNames.Of(label.Geometry.Kind);
                expectedUnsupported[kind] = expectedUnsupported.GetValueOrDefault(kind) + 1;
            }
        }

        Assert.Equal(expectedUnsupported, new SortedDictionary<string, int>(report.UnsupportedLabelKinds.ToDictionary(), StringComparer.Ordinal));
        Assert.Equal(4, report.Items);

        var back = FormatTestKit.Read(format, dir.Path);
        AssertHolds(project.Items, [format], back);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Each_format_converts_to_each_other_keeping_what_both_hold(string first, string second)
    {
        using var project = new SyntheticProject();
        using var dir1 = new TempDir();
        using var dir2 = new TempDir();
        FormatTestKit.Write(first, project.Meta, project.Items, dir1.Path);
        var middle = FormatTestKit.Read(first, dir1.Path);
        FormatTestKit.Write(second, middle.Meta, FormatTestKit.ToExport(middle), dir2.Path);
        var back = FormatTestKit.Read(second, dir2.Path);
        AssertHolds(project.Items, [first, second], back);
    }

    [Theory]
    [InlineData("yolo")]
    [InlineData("voc")]
    [InlineData("supervisely")]
    public void Tiny_coco_converts_to_each_format_keeping_what_it_holds(string format)
    {
        var coco = FormatTestKit.Read("coco", SharedData.Resolve("tiny-coco"), "annotations/instances_val2017.json");
        using var dir = new TempDir();
        var report = FormatTestKit.Write(format, coco.Meta, FormatTestKit.ToExport(coco), dir.Path);
        var back = FormatTestKit.Read(format, dir.Path);
        var source = FormatTestKit.ToExport(coco).ToList();
        AssertHolds(source, [format], back);

        // instances_val2017.json holds 402 polygon parts and 5 RLE masks (see CocoFormatTests); YOLO cannot hold masks,
        // VOC holds both as boxes.
        if (format == "yolo")
        {
            Assert.Equal(5, report.UnsupportedLabelKinds["mask"]);
        }

        if (format == "voc")
        {
            Assert.Empty(report.UnsupportedLabelKinds);
            Assert.Equal(407, report.Labels);
            Assert.Contains("402 polygon labels written as their bounding boxes (VOC holds only boxes)", report.Warnings);
        }
    }

    [Fact]
    public void Voc_writes_polygons_and_masks_as_their_boxes_without_being_asked()
    {
        using var project = new SyntheticProject();
        using var dir = new TempDir();
        var report = FormatTestKit.Write("voc", project.Meta, project.Items, dir.Path);
        Assert.False(report.UnsupportedLabelKinds.ContainsKey("polygon"));
        Assert.False(report.UnsupportedLabelKinds.ContainsKey("mask"));

        // Each of the 4 synthetic images holds 2 polygons and 1 mask.
        Assert.Contains("8 polygon labels written as their bounding boxes (VOC holds only boxes)", report.Warnings);
        Assert.Contains("4 mask labels written as their bounding boxes (VOC holds only boxes)", report.Warnings);
        var back = FormatTestKit.Read("voc", dir.Path);
        var a = back.Items.Single(i => i.Name == "a.png").Annotation;

        // The synthetic mask of image a covers columns 10..19 and rows 5..11, so its box is (10, 5)-(20, 12).
        var blob = a.Labels.Single(l => l.ClassName == "blob");
        Assert.Equal(new BoxD(10, 5, 20, 12), ((RectangleGeometry)blob.Geometry).Box);
    }

    [Fact]
    public void Voc_boxes_are_whole_pixels_covering_the_shape_and_survive_a_round_trip()
    {
        var meta = new ProjectMeta([new ObjClass("road", GeometryKind.Polygon, "#00FF00"), new ObjClass("car", GeometryKind.Rectangle, "#FF0000")], []);
        var annotation = new Annotation(SyntheticProject.Width, SyntheticProject.Height, [], [
            new Label("road", new PolygonGeometry([new(10.4, 5.6), new(20.2, 5.6), new(20.2, 12.5), new(10.4, 12.5)])),
            new Label("car", new RectangleGeometry(new BoxD(-3.5, 40.2, 30, 52))),
        ]);
        using var src = new TempDir();
        var png = src.Write("a.png", TestImages.Png(SyntheticProject.Width, SyntheticProject.Height));
        using var dir = new TempDir();
        var report = FormatTestKit.Write("voc", meta, [new ExportItem("train", "a.png", () => File.OpenRead(png), annotation)], dir.Path);
        Assert.Equal(2, report.Labels);
        Assert.Contains("1 polygon labels written as their bounding boxes (VOC holds only boxes)", report.Warnings);
        Assert.Contains("boxes clipped to the image", report.Warnings);

        // Pixels touched, 1-based and inclusive: columns 10..20 and rows 5..12 → 11, 6, 21, 13; the car clipped to the 64×48
        // image covers columns 0..29 and rows 40..47 → 1, 41, 30, 48.
        var xml = System.Xml.Linq.XDocument.Load(dir["Annotations/a.xml"]);
        var boxes = xml.Descendants("bndbox").Select(b => string.Join(" ", b.Elements().Select(e => e.Name + "=" + e.Value))).ToList();
        Assert.Equal(["xmin=11 ymin=6 xmax=21 ymax=13", "xmin=1 ymin=41 xmax=30 ymax=48"], boxes);

        var first = FormatTestKit.Read("voc", dir.Path);
        Assert.Equal([new BoxD(10, 5, 21, 13), new BoxD(0, 40, 30, 48)], first.Items[0].Annotation.Labels.Select(l => ((RectangleGeometry)l.Geometry).Box));
        using var again = new TempDir();
        FormatTestKit.Write("voc", first.Meta, FormatTestKit.ToExport(first), again.Path);
        Assert.Equal(File.ReadAllText(dir["Annotations/a.xml"]), File.ReadAllText(again["Annotations/a.xml"]));
    }

    /// <summary>What a label becomes after passing through a format, as docs/formats.md states; null when the format cannot hold it.</summary>
    private static Label? Expect(string format, Label label)
    {
        var g = label.Geometry;
        switch (format)
        {
            case "coco":
                if (g is PointGeometry or PolylineGeometry)
                {
                    return null;
                }

                if (g is PolygonGeometry { Interiors.Count: > 0 } holed)
                {
                    g = new MaskGeometry(MaskRaster.FromPolygon(holed, SyntheticOrImageWidth(label), SyntheticOrImageHeight(label)));
                }

                return label with { Geometry = g, Tags = label.Tags.Where(t => t.Name == CocoTags.IsCrowd).ToList() };
            case "yolo":
                return g switch
                {
                    RectangleGeometry => label with { Tags = [] },
                    PolygonGeometry p => label with { Geometry = new PolygonGeometry(p.Exterior), Tags = [] },
                    _ => null,
                };
            case "voc":
                if (g is not (RectangleGeometry or PolygonGeometry or MaskGeometry))
                {
                    return null;
                }

                // Shapes become their bounds, and every box the whole pixels it touches (the images here hold every box).
                var b = g.Bounds();
                var pixels = new BoxD(Math.Floor(b.Left), Math.Floor(b.Top), Math.Ceiling(b.Right), Math.Ceiling(b.Bottom));
                return label with { Geometry = new RectangleGeometry(pixels), Tags = label.Tags.Where(t => t.Name is "difficult" or "truncated" or "occluded" or "pose").ToList() };
            default:
                return label;
        }
    }

    // Expect() needs the image size to rasterise a holed polygon; the only holed polygons in these tests are synthetic.
    private static int SyntheticOrImageWidth(Label label) => SyntheticProject.Width;

    private static int SyntheticOrImageHeight(Label label) => SyntheticProject.Height;

    private static void AssertHolds(IReadOnlyList<ExportItem> source, string[] chain, ImportedProject back)
    {
        var byKey = FormatTestKit.ByKey(back);
        Assert.Equal(source.Count, byKey.Count);
        foreach (var item in source)
        {
            var got = byKey[item.Dataset + "/" + item.Name].Annotation;
            Assert.Equal((item.Annotation.Width, item.Annotation.Height), (got.Width, got.Height));
            var expected = new List<Label>();
            foreach (var label in item.Annotation.Labels)
            {
                Label? l = label;
                foreach (var f in chain)
                {
                    l = l is null ? null : Expect(f, l);
                }

                if (l is not null)
                {
                    expected.Add(l);
                }
            }

            var imageTags = chain.All(f => f == "supervisely") ? item.Annotation.Tags : [];
            Assert.Equal(imageTags, got.Tags);
            Assert.True(expected.Count == got.Labels.Count, $"{item.Dataset}/{item.Name} via {string.Join("→", chain)}: expected {expected.Count} labels, got {got.Labels.Count}: {string.Join("; ", got.Labels.Select(FormatTestKit.Describe))}");
            for (var i = 0; i < expected.Count; i++)
            {
                AssertNear(expected[i], got.Labels[i], $"{item.Dataset}/{item.Name} label {i} via {string.Join("→", chain)}");
            }
        }
    }

    // Tolerance 1e-6 px: YOLO stores coordinates divided by the image size, and x / w * w may differ from x in the last bit.
    private static void AssertNear(Label expected, Label actual, string where)
    {
        const double tol = 1e-6;
        Assert.True(expected.ClassName == actual.ClassName, $"{where}: class {expected.ClassName} vs {actual.ClassName}");
        Assert.True(expected.Tags.SequenceEqual(actual.Tags), $"{where}: tags [{string.Join(",", expected.Tags)}] vs [{string.Join(",", actual.Tags)}]");
        Assert.True(expected.Geometry.Kind == actual.Geometry.Kind, $"{where}: kind {expected.Geometry.Kind} vs {actual.Geometry.Kind}");
        switch (expected.Geometry, actual.Geometry)
        {
            case (RectangleGeometry a, RectangleGeometry b):
                Near(a.Box.Left, b.Box.Left);
                Near(a.Box.Top, b.Box.Top);
                Near(a.Box.Right, b.Box.Right);
                Near(a.Box.Bottom, b.Box.Bottom);
                break;
            case (PolygonGeometry a, PolygonGeometry b):
                Points(a.Exterior, b.Exterior);
                Assert.Equal(a.Interiors.Count, b.Interiors.Count);
                for (var i = 0; i < a.Interiors.Count; i++)
                {
                    Points(a.Interiors[i], b.Interiors[i]);
                }

                break;
            case (PolylineGeometry a, PolylineGeometry b):
                Points(a.Points, b.Points);
                break;
            case (PointGeometry a, PointGeometry b):
                Points([a.Point], [b.Point]);
                break;
            case (KeypointsGeometry a, KeypointsGeometry b):
                Assert.Equal(a.Nodes.Select(n => n.Visibility), b.Nodes.Select(n => n.Visibility));
                Points(a.Nodes.Select(n => new PointD(n.X, n.Y)).ToList(), b.Nodes.Select(n => new PointD(n.X, n.Y)).ToList());
                break;
            case (MaskGeometry a, MaskGeometry b):
                Assert.True(a.Rle.Equals(b.Rle), $"{where}: masks differ (area {a.Rle.Area()} vs {b.Rle.Area()})");
                break;
            default:
                Assert.Fail($"{where}: unexpected kinds");
                break;
        }

        void Near(double x, double y) => Assert.True(Math.Abs(x - y) <= tol, $"{where}: {x} vs {y}");

        void Points(IReadOnlyList<PointD> a, IReadOnlyList<PointD> b)
        {
            Assert.True(a.Count == b.Count, $"{where}: {a.Count} points vs {b.Count}");
            for (var i = 0; i < a.Count; i++)
            {
                Near(a[i].X, b[i].X);
                Near(a[i].Y, b[i].Y);
            }
        }
    }
}
