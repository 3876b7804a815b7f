using Cairn.Core.Formats;
using Cairn.Core.Formats.Coco;
using Cairn.Core.Model;
using Cairn.TestSupport;

namespace Cairn.Core.Tests.Formats;

public sealed class CocoFormatTests
{
    private static string TinyCoco => SharedData.Resolve("tiny-coco");

    [Fact]
    public void Tiny_coco_val2017_reads_every_image_and_annotation()
    {
        var project = FormatTestKit.Read("coco", TinyCoco, "annotations/instances_val2017.json");

        // Counts from the file itself (python3 json over instances_val2017.json): 50 images, 382 annotations of which
        // 377 polygons in 355 one-part + 19 two-part + 3 three-part = 402 parts, and 5 crowd RLEs; 80 categories.
        Assert.Equal(50, project.Items.Count);
        Assert.All(project.Items, i => Assert.Equal("val2017", i.Dataset));
        var labels = project.Items.SelectMany(i => i.Annotation.Labels).ToList();
        Assert.Equal(402, labels.Count(l => l.Geometry is PolygonGeometry));
        Assert.Equal(5, labels.Count(l => l.Geometry is MaskGeometry));
        Assert.All(labels.Where(l => l.Geometry is MaskGeometry), l => Assert.Contains(new Tag(CocoTags.IsCrowd), l.Tags));
        Assert.Equal(80, project.Meta.Classes.Count);
        Assert.Equal("vehicle", project.Meta.FindClass("bicycle")!.Supercategory);

        // $.images[0] of the file: 000000397133.jpg, 640×427; its first annotation ($.annotations[0]) is a one-part bottle polygon.
        var first = project.Items.Single(i => i.Name == "000000397133.jpg");
        Assert.Equal((640, 427), (first.Annotation.Width, first.Annotation.Height));
        Assert.Equal(Path.Combine(TinyCoco, "val2017", "000000397133.jpg"), first.ImagePath);
        var bottle = first.Annotation.Labels.First(l => l.ClassName == "bottle");
        Assert.Equal(new PointD(224.24, 297.18), ((PolygonGeometry)bottle.Geometry).Exterior[0]);
    }

    [Fact]
    public void Tiny_coco_val2017_round_trips_through_coco_export_with_identical_labels()
    {
        var first = FormatTestKit.Read("coco", TinyCoco, "annotations/instances_val2017.json");
        using var dir = new TempDir();
        var report = FormatTestKit.Write("coco", first.Meta, FormatTestKit.ToExport(first), dir.Path);
        Assert.Empty(report.UnsupportedLabelKinds);
        Assert.Equal(50, report.Items);
        Assert.Equal(407, report.Labels);

        var second = FormatTestKit.Read("coco", dir.Path);
        Assert.Equal(first.Meta, second.Meta);
        FormatTestKit.AssertSameItems(first, second);
        Assert.True(File.Exists(dir["val2017/000000397133.jpg"]));
        Assert.Equal(new FileInfo(first.Items[0].ImagePath).Length, new FileInfo(second.Items[0].ImagePath).Length);
    }

    [Fact]
    public void Tiny_coco_keypoints_round_trip_with_skeleton_and_grouped_labels()
    {
        var first = FormatTestKit.Read("coco", TinyCoco, "annotations/person_keypoints_val2017.json");
        var person = first.Meta.FindClass("person")!;

        // person_keypoints_val2017.json: 17 named keypoints, 19 skeleton edges, the first being [16, 14] (1-based).
        Assert.Equal(17, person.Keypoints!.Nodes.Count);
        Assert.Equal(19, person.Keypoints.Edges.Count);
        Assert.Equal(new KeypointEdge(15, 13), person.Keypoints.Edges[0]);
        var kps = first.Items.SelectMany(i => i.Annotation.Labels).Where(l => l.Geometry is KeypointsGeometry).ToList();
        Assert.Equal(127, kps.Count);
        Assert.All(kps, l => Assert.Contains(l.Tags, t => t.Name == CocoTags.AnnotationId));

        using var dir = new TempDir();
        FormatTestKit.Write("coco", first.Meta, FormatTestKit.ToExport(first), dir.Path);
        var second = FormatTestKit.Read("coco", dir.Path);
        Assert.Equal(first.Meta, second.Meta);
        FormatTestKit.AssertSameItems(first, second);
    }

    [Fact]
    public void Ids_kept_in_tags_never_collide_with_new_ids()
    {
        // One image: a two-part polygon with COCO id 1 (kept in tags) and a box that gets a new id; the new id must skip 1.
        using var src = new TempDir();
        src.Write("img/a.png", TestImages.Png(20, 10));
        src.Write("ann.json", """
            {"images":[{"id":7,"file_name":"img/a.png","width":20,"height":10}],
             "categories":[{"id":3,"name":"thing"}],
             "annotations":[
               {"id":5,"image_id":7,"category_id":3,"bbox":[1,1,2,2]},
               {"id":1,"image_id":7,"category_id":3,"segmentation":[[0,0,4,0,4,4],[10,0,14,0,14,4]]}]}
            """);
        var first = FormatTestKit.Read("coco", src.Path);
        using var out1 = new TempDir();
        FormatTestKit.Write("coco", first.Meta, FormatTestKit.ToExport(first), out1.Path);
        var text = File.ReadAllText(out1["annotations/instances_img.json"]);
        Assert.Contains("\"id\":1,", text);
        Assert.Contains("\"id\":2,", text);
        var second = FormatTestKit.Read("coco", out1.Path);
        FormatTestKit.AssertSameItems(first, second);
    }

    [Fact]
    public void Points_and_polylines_are_counted_as_unsupported_not_dropped_silently()
    {
        using var src = new TempDir();
        var png = src.Write("a.png", TestImages.Png(8, 8));
        var meta = new ProjectMeta([new ObjClass("p", GeometryKind.Any, "#FF0000")], []);
        var ann = new Annotation(8, 8, [], [
            new Label("p", new PointGeometry(new PointD(1, 1))),
            new Label("p", new PolylineGeometry([new PointD(1, 1), new PointD(3, 3)])),
            new Label("p", new PolylineGeometry([new PointD(2, 1), new PointD(3, 3)])),
            new Label("p", new RectangleGeometry(new BoxD(1, 1, 4, 4))),
        ]);
        using var dir = new TempDir();
        var report = FormatTestKit.Write("coco", meta, [new ExportItem("ds0", "a.png", () => File.OpenRead(png), ann)], dir.Path);
        Assert.Equal(1, report.Labels);
        Assert.Equal(1, report.UnsupportedLabelKinds["point"]);
        Assert.Equal(2, report.UnsupportedLabelKinds["polyline"]);
    }

    [Fact]
    public void Without_annotations_option_every_instances_file_is_read_as_its_split()
    {
        // tiny-coco/annotations holds instances_train2017.json and instances_val2017.json (50 images each) beside
        // captions and person keypoint files, which automatic discovery must leave out.
        var project = FormatTestKit.Read("coco", TinyCoco);
        Assert.Equal(100, project.Items.Count);
        Assert.Equal(["train2017", "val2017"], project.Items.Select(i => i.Dataset).Distinct().Order(StringComparer.Ordinal));
        Assert.DoesNotContain(project.Items.SelectMany(i => i.Annotation.Labels), l => l.Geometry is KeypointsGeometry);
    }

    [Fact]
    public void Tiny_coco_exported_to_yolo_keeps_val2017_out_of_training()
    {
        // COCO's own split names: val2017 must be val only, train2017 train only (the issue: both were in both lists).
        var project = FormatTestKit.Read("coco", TinyCoco);
        using var dir = new TempDir();
        var report = FormatTestKit.Write("yolo", project.Meta, FormatTestKit.ToExport(project), dir.Path, new ExportOptions(IncludeImages: false));
        Assert.DoesNotContain(report.Warnings, w => w.Contains("val", StringComparison.Ordinal));

        var yaml = new YamlDotNet.Serialization.Deserializer().Deserialize<Dictionary<string, object>>(File.ReadAllText(dir["data.yaml"]));
        Assert.Equal(["images/train2017"], SplitPaths(yaml["train"]));
        Assert.Equal(["images/val2017"], SplitPaths(yaml["val"]));
        Assert.False(yaml.ContainsKey("test"));
    }

    [Fact]
    public void Yolo_export_sends_datasets_to_splits_by_prefix_and_holds_out_val_when_there_is_none()
    {
        using var project = new SyntheticProject();
        var items = project.Items.ToList();
        ExportItem In(string dataset, int i) => items[i] with { Dataset = dataset };

        using var dir = new TempDir();
        FormatTestKit.Write("yolo", project.Meta, [In("train/city", 0), In("Validation", 1), In("test-dev", 2)], dir.Path, new ExportOptions(IncludeImages: false));
        var yaml = new YamlDotNet.Serialization.Deserializer().Deserialize<Dictionary<string, object>>(File.ReadAllText(dir["data.yaml"]));
        Assert.Equal(["images/train/city"], SplitPaths(yaml["train"]));
        Assert.Equal(["images/Validation"], SplitPaths(yaml["val"]));
        Assert.Equal(["images/test-dev"], SplitPaths(yaml["test"]));

        // No val dataset: a quarter of the training images go to val.txt, the rest to train.txt, none in both.
        var train = Enumerable.Range(0, items.Count).Select(i => In(i % 2 == 0 ? "train" : "extra", i)).ToList();
        using var onlyTrain = new TempDir();
        var report = FormatTestKit.Write("yolo", project.Meta, train, onlyTrain.Path, new ExportOptions(IncludeImages: false, ValFraction: 0.25));
        yaml = new YamlDotNet.Serialization.Deserializer().Deserialize<Dictionary<string, object>>(File.ReadAllText(onlyTrain["data.yaml"]));
        Assert.Equal(["train.txt"], SplitPaths(yaml["train"]));
        Assert.Equal(["val.txt"], SplitPaths(yaml["val"]));
        var trainList = File.ReadAllLines(onlyTrain["train.txt"]);
        var valList = File.ReadAllLines(onlyTrain["val.txt"]);
        Assert.Equal((int)Math.Round(items.Count * 0.25), valList.Length);
        Assert.Empty(trainList.Intersect(valList));
        Assert.Equal(train.Select(i => $"./images/{i.Dataset}/{i.Name}").Order(), trainList.Concat(valList).Order());
        Assert.Contains(report.Warnings, w => w.Contains("held out as val", StringComparison.Ordinal));

        // The same images are held out whatever the order of the items.
        using var reversed = new TempDir();
        FormatTestKit.Write("yolo", project.Meta, Enumerable.Reverse(train), reversed.Path, new ExportOptions(IncludeImages: false, ValFraction: 0.25));
        Assert.Equal(valList.Order(), File.ReadAllLines(reversed["val.txt"]).Order());

        // Only val: train.txt is empty rather than a copy of val.
        using var onlyVal = new TempDir();
        report = FormatTestKit.Write("yolo", project.Meta, [In("val", 0), In("val", 1)], onlyVal.Path, new ExportOptions(IncludeImages: false));
        Assert.Empty(File.ReadAllLines(onlyVal["train.txt"]));
        Assert.Contains(report.Warnings, w => w.Contains("train.txt is empty", StringComparison.Ordinal));
    }

    /// <summary>A data.yaml split value as a list: Ultralytics accepts one path or a list of them.</summary>
    private static List<string> SplitPaths(object value) =>
        value is string one ? [one] : ((List<object>)value).Select(v => (string)v).ToList();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Annotations_outside_the_import_folder_are_read_in_cocos_own_layout(bool absolute)
    {
        // COCO's layout: the images folder val2017/ beside annotations/, imported as the folder of images alone.
        var annotations = absolute ? Path.Combine(TinyCoco, "annotations", "instances_val2017.json") : "../annotations/instances_val2017.json";
        var project = FormatTestKit.Read("coco", Path.Combine(TinyCoco, "val2017"), annotations);

        // The same 50 images and 402 + 5 labels as the import of the whole folder (Tiny_coco_val2017_reads_every_image_and_annotation).
        Assert.Equal(50, project.Items.Count);
        Assert.All(project.Items, i => Assert.Equal("val2017", i.Dataset));
        Assert.Equal(407, project.Items.Sum(i => i.Annotation.Labels.Count));
        Assert.Equal(Path.Combine(TinyCoco, "val2017", "000000397133.jpg"), project.Items.Single(i => i.Name == "000000397133.jpg").ImagePath);
    }

    [Fact]
    public void Several_candidate_json_files_ask_for_the_annotations_option()
    {
        using var root = new TempDir();
        root.Write("a.json", "{}");
        root.Write("b.json", "{}");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", root.Path));
        Assert.Contains("--annotations", ex.Problem);
    }

    [Fact]
    public void Nested_datasets_come_from_file_name_folders_and_survive_a_round_trip()
    {
        using var src = new TempDir();
        src.Write("images/train/city/a.png", TestImages.Png(8, 6));
        src.Write("images/val/b.png", TestImages.Png(8, 6, 30));
        src.Write("annotations/instances.json", """
            {"images":[{"id":1,"file_name":"train/city/a.png","width":8,"height":6},{"id":2,"file_name":"val/b.png","width":8,"height":6}],
             "categories":[{"id":1,"name":"car"}],
             "annotations":[{"id":1,"image_id":1,"category_id":1,"bbox":[1,1,2,2]}]}
            """);
        var first = FormatTestKit.Read("coco", src.Path);
        Assert.Equal(["train/city/a.png", "val/b.png"], first.Items.Select(i => i.Dataset + "/" + i.Name).Order(StringComparer.Ordinal));

        using var dir = new TempDir();
        FormatTestKit.Write("coco", first.Meta, FormatTestKit.ToExport(first), dir.Path);
        Assert.True(File.Exists(dir["annotations/instances_train_city.json"]));
        Assert.True(File.Exists(dir["train/city/a.png"]));
        FormatTestKit.AssertSameItems(first, FormatTestKit.Read("coco", dir.Path));
    }
}
