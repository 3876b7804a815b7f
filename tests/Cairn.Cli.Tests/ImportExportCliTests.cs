using System.IO.Compression;
using Cairn.Core.Model;
using Cairn.Core.Serialization;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.TestSupport;

namespace Cairn.Cli.Tests;

public sealed class ImportExportCliTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "cairn-cli-scratch-" + Guid.NewGuid().ToString("N"));

    public ImportExportCliTests() => Directory.CreateDirectory(_scratch);

    public void Dispose()
    {
        _cli.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    private CliResult ImportTiny(string name) =>
        _cli.Run("import", "coco", SharedData.Resolve("tiny-coco"), "--project", name, "--annotations", "annotations/instances_val2017.json", "--json");

    [Fact]
    public void Import_prints_one_json_document_and_the_project_is_listed()
    {
        var r = ImportTiny("tiny");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = r.Json();
        Assert.Equal(50, json.GetProperty("items").GetInt32());
        Assert.Equal(80, json.GetProperty("classes").GetInt32());

        var list = _cli.Run("project", "list", "--json");
        Assert.Equal(0, list.ExitCode);
        var project = Assert.Single(list.Json().GetProperty("projects").EnumerateArray());
        Assert.Equal("tiny", project.GetProperty("name").GetString());
        Assert.Equal(json.GetProperty("labels").GetInt32(), project.GetProperty("labels").GetInt32());
    }

    [Fact]
    public void Import_is_a_task_on_the_graph_with_the_project_and_its_version_1_as_outputs()
    {
        var r = ImportTiny("tiny");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = r.Json();
        Assert.Equal(1, json.GetProperty("version").GetInt32());
        var task = $"task:{json.GetProperty("task").GetInt64()}";

        var graph = _cli.Run("graph", "tiny", "--format", "json");
        Assert.True(graph.ExitCode == 0, graph.Stderr);
        var g = graph.Json();
        var node = g.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == task);
        Assert.Equal("import coco → tiny", node.GetProperty("title").GetString());
        Assert.Equal("succeeded", node.GetProperty("status").GetString());
        var outputs = g.GetProperty("edges").EnumerateArray().Where(e => e.GetProperty("from").GetString() == task)
            .Select(e => g.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == e.GetProperty("to").GetString()).GetProperty("title").GetString())
            .Order(StringComparer.Ordinal);
        Assert.Equal(["tiny", "tiny@1"], outputs);

        // --no-version: the project is the task's output, with no version.
        var bare = _cli.Run("import", "coco", SharedData.Resolve("tiny-coco"), "--project", "bare", "--annotations", "annotations/instances_val2017.json", "--no-version");
        Assert.True(bare.ExitCode == 0, bare.Stderr);
        Assert.Equal(0, _cli.Run("version", "list", "bare", "--json").Json().GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public void Coco_round_trip_keeps_every_label()
    {
        Assert.Equal(0, ImportTiny("first").ExitCode);
        var outDir = Path.Combine(_scratch, "export");
        var export = _cli.Run("export", "coco", "first", outDir, "--json");
        Assert.True(export.ExitCode == 0, export.Stderr);
        var annotations = Directory.GetFiles(outDir, "*.json", SearchOption.AllDirectories);
        var annFile = Path.GetRelativePath(outDir, Assert.Single(annotations));
        var again = _cli.Run("import", "coco", outDir, "--project", "second", "--annotations", annFile, "--json");
        Assert.True(again.ExitCode == 0, again.Stderr);

        using var store = CairnStore.Open(_cli.Home);
        var projects = new ProjectService(store);
        var a = Labels(projects, "first");
        var b = Labels(projects, "second");
        Assert.Equal(a.Count, b.Count);
        Assert.True(a.Values.Sum(x => x.Labels.Count) > 300, "tiny-coco val2017 has several hundred labels");
        foreach (var (name, ann) in a)
        {
            Assert.True(b.TryGetValue(name, out var other), $"{name} missing after the round trip");
            Assert.Equal(ann.Labels.Count, other.Labels.Count);
            Assert.Equal(ann, other);
        }

        var metaA = ProjectMetaJson.Parse(projects.Find("first")!.MetaJson);
        var metaB = ProjectMetaJson.Parse(projects.Find("second")!.MetaJson);
        Assert.Equal(metaA.Classes.Select(c => c.Name), metaB.Classes.Select(c => c.Name));
    }

    private static Dictionary<string, Annotation> Labels(ProjectService projects, string name)
    {
        var p = projects.Find(name)!;
        return projects.StreamItems(p.Id).ToDictionary(x => x.Item.Name, x => AnnotationJson.Parse(x.Item.AnnotationJson));
    }

    [Fact]
    public void Coco_layout_imports_with_annotations_beside_the_images_and_exports_to_yolo_keeping_val_out_of_train()
    {
        // COCO's own layout as a new user types it: the image folder, and the annotation file next to it (issue 13).
        var tiny = SharedData.Resolve("tiny-coco");
        var val = _cli.Run("import", "coco", Path.Combine(tiny, "val2017"), "--project", "val", "--annotations", Path.Combine(tiny, "annotations", "instances_val2017.json"), "--json");
        Assert.True(val.ExitCode == 0, val.Stderr);
        Assert.Equal(50, val.Json().GetProperty("items").GetInt32());

        var both = _cli.Run("import", "coco", tiny, "--project", "tiny", "--json");
        Assert.True(both.ExitCode == 0, both.Stderr);
        var outDir = Path.Combine(_scratch, "yolo");
        var export = _cli.Run("export", "yolo", "tiny", outDir, "--no-images", "--json");
        Assert.True(export.ExitCode == 0, export.Stderr);
        var yaml = new YamlDotNet.Serialization.Deserializer().Deserialize<Dictionary<string, object>>(File.ReadAllText(Path.Combine(outDir, "data.yaml")));
        Assert.Equal("images/train2017", yaml["train"]);
        Assert.Equal("images/val2017", yaml["val"]);
    }

    [Fact]
    public void Voc_export_of_a_polygon_project_writes_their_boxes_and_says_so()
    {
        Assert.Equal(0, ImportTiny("tiny").ExitCode);
        var outDir = Path.Combine(_scratch, "voc");
        var export = _cli.Run("export", "voc", "tiny", outDir, "--no-images");
        Assert.True(export.ExitCode == 0, export.Stderr);

        // instances_val2017.json: 402 polygon parts and 5 crowd masks, all 407 written as boxes.
        Assert.Contains("407 labels", export.Stdout);
        Assert.Contains("402 polygon labels written as their bounding boxes", export.Stderr);
        Assert.Contains("5 mask labels written as their bounding boxes", export.Stderr);
        // No label is dropped (the tags COCO's multi-part annotations carry are, and the writer says so).
        Assert.DoesNotContain("labels not written", export.Stderr);
    }

    [Fact]
    public void Import_with_a_missing_image_fails_naming_it_and_leaves_nothing()
    {
        var src = Path.Combine(_scratch, "broken");
        Directory.CreateDirectory(Path.Combine(src, "images"));
        File.Copy(Directory.GetFiles(SharedData.Resolve("tiny-coco/val2017"))[0], Path.Combine(src, "images", "present.jpg"));
        File.WriteAllText(Path.Combine(src, "annotations.json"), """
            {"images":[{"id":1,"file_name":"present.jpg","width":640,"height":480},{"id":2,"file_name":"absent.jpg","width":640,"height":480}],
             "annotations":[{"id":1,"image_id":1,"category_id":1,"bbox":[1,2,3,4],"area":12,"iscrowd":0}],
             "categories":[{"id":1,"name":"thing"}]}
            """);
        var r = _cli.Run("import", "coco", src, "--project", "broken");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("absent.jpg", r.Stderr);

        using var store = CairnStore.Open(_cli.Home);
        using var db = store.Catalog();
        Assert.Empty(db.Projects);
        Assert.Empty(db.Items);
        Assert.Empty(db.Datasets);
    }

    [Fact]
    public void Zip_slip_archive_is_refused_and_writes_nothing_outside()
    {
        var zip = Path.Combine(_scratch, "evil.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            var e = archive.CreateEntry("../../escaped.txt");
            using var w = new StreamWriter(e.Open());
            w.Write("gotcha");
        }

        var r = _cli.Run("import", "coco", zip, "--project", "evil");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("escaped.txt", r.Stderr);
        Assert.False(File.Exists(Path.Combine(_scratch, "..", "escaped.txt")));
        var list = _cli.Run("project", "list", "--json");
        Assert.Empty(list.Json().GetProperty("projects").EnumerateArray());
    }

    [Fact]
    public void A_bad_catalog_option_is_refused_naming_the_home_and_what_to_do()
    {
        Assert.Equal(0, _cli.Run("project", "list").ExitCode); // the home now has its SQLite catalog
        var @switch = _cli.Run("project", "list", "--catalog", "Host=localhost;Database=cairn");
        Assert.Equal(2, @switch.ExitCode);
        Assert.Contains("cannot switch to PostgreSQL", @switch.Stderr, StringComparison.Ordinal);
        Assert.Contains(_cli.Home, @switch.Stderr, StringComparison.Ordinal);

        var nonsense = _cli.Run("project", "list", "--catalog", "nonsense=1");
        Assert.Equal(2, nonsense.ExitCode);
        Assert.Contains("is not a PostgreSQL connection string", nonsense.Stderr, StringComparison.Ordinal);
        Assert.Contains("--catalog or CAIRN_CATALOG", nonsense.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_format_names_the_formats_that_exist()
    {
        var r = _cli.Run("import", "labelme", _scratch, "--project", "x");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("coco", r.Stderr + r.Stdout);
        Assert.Contains("supervisely", r.Stderr + r.Stdout);
    }

    [Fact]
    public void Importing_twice_under_one_name_is_refused()
    {
        Assert.Equal(0, ImportTiny("twice").ExitCode);
        var r = ImportTiny("twice");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("exists", r.Stderr);
    }
}
