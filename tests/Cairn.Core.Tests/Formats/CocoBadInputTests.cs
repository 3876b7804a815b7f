using Cairn.Core.Formats;
using Cairn.Core.Model;

namespace Cairn.Core.Tests.Formats;

public sealed class CocoBadInputTests
{
    private const string Categories = "\"categories\":[{\"id\":1,\"name\":\"cat\"}]";

    [Fact]
    public void Malformed_json_names_file_line_and_byte()
    {
        using var root = new TempDir();
        root.Write("annotations/instances_x.json", "{\n  \"images\": [\n    {\"id\": 1,, }\n  ]\n}");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", root.Path));
        Assert.Equal("annotations/instances_x.json", ex.File);
        Assert.Contains("line 3", ex.Location);
        Assert.Contains("byte", ex.Location);
    }

    [Fact]
    public void Wrong_type_names_the_json_path_and_what_was_expected()
    {
        using var root = Dataset("""{"id":1,"image_id":1,"category_id":1,"bbox":[1,2,"3",4]}""");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", root.Path));
        Assert.Equal("ann.json", ex.File);
        Assert.StartsWith("$.annotations[0].bbox[2], line 1, byte ", ex.Location);
        Assert.Contains("expected a finite number, found a string", ex.Problem);
    }

    [Fact]
    public void Unknown_category_is_refused()
    {
        using var root = Dataset("""{"id":1,"image_id":1,"category_id":9,"bbox":[1,2,3,4]}""");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", root.Path));
        Assert.StartsWith("$.annotations[0].category_id, line 1, byte ", ex.Location);
        Assert.Contains("category id 9 is not in $.categories", ex.Problem);
    }

    [Fact]
    public void Errors_found_after_parsing_point_at_the_line_and_byte_of_the_value()
    {
        using var root = new TempDir();
        root.Write("a.png", TestImages.Png(4, 4));
        var lines = new[]
        {
            """{"images":[{"id":1,"file_name":"a.png","width":4,"height":4}],""",
            "\"categories\":[{\"id\":1,\"name\":\"cat\"}],",
            "\"annotations\":[{\"id\":1,\"image_id\":1,\"category_id\":9,\"bbox\":[1,2,3,4]}]}",
        };
        root.Write("ann.json", string.Join("\n", lines));
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", root.Path));

        // The 9 sits on the third line right after "category_id":, counted 1-based.
        var expectedByte = lines[2].IndexOf("\"category_id\":9", StringComparison.Ordinal) + "\"category_id\":".Length + 1;
        Assert.Equal($"$.annotations[0].category_id, line 3, byte {expectedByte}", ex.Location);
    }

    [Fact]
    public void Degenerate_polygon_parts_are_skipped_with_a_warning_and_odd_counts_refused()
    {
        using var root = Dataset("""{"id":1,"image_id":1,"category_id":1,"bbox":[0,0,2,2],"segmentation":[[0,0,1,1],[0,0,2,0,2,2]]}""");
        var p = FormatTestKit.Read("coco", root.Path);
        var label = Assert.Single(p.Items[0].Annotation.Labels);
        Assert.Equal(3, ((PolygonGeometry)label.Geometry).Exterior.Count);
        Assert.Contains(p.Warnings, w => w.Contains("1 polygon part(s) with fewer than 3 points", StringComparison.Ordinal));

        using var odd = Dataset("""{"id":1,"image_id":1,"category_id":1,"segmentation":[[0,0,2,0,2]]}""");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", odd.Path));
        Assert.StartsWith("$.annotations[0].segmentation[0], line 1", ex.Location);
    }

    [Fact]
    public void Json_with_a_byte_order_mark_is_read_and_positions_ignore_the_mark()
    {
        using var root = new TempDir();
        root.Write("a.png", TestImages.Png(4, 4));
        var json = $$"""{"images":[{"id":1,"file_name":"a.png","width":4,"height":4}],"annotations":[{"id":1,"image_id":1,"category_id":9,"bbox":[1,2,3,4]}],{{Categories}}}""";
        root.Write("ann.json", [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(json)]);
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", root.Path));

        // Byte positions count from the first character of the JSON text, as an editor shows them.
        var expectedByte = json.IndexOf("\"category_id\":9", StringComparison.Ordinal) + "\"category_id\":".Length + 1;
        Assert.Equal($"$.annotations[0].category_id, line 1, byte {expectedByte}", ex.Location);
    }

    [Fact]
    public void Unknown_image_is_refused()
    {
        using var root = Dataset("""{"id":1,"image_id":2,"category_id":1,"bbox":[1,2,3,4]}""");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", root.Path));
        Assert.StartsWith("$.annotations[0].image_id, line 1, byte ", ex.Location);
        Assert.Contains("image id 2 is not in $.images", ex.Problem);
    }

    [Fact]
    public void Missing_images_are_listed_up_to_the_limit()
    {
        using var root = new TempDir();
        var images = string.Join(",", Enumerable.Range(1, 30).Select(i => $$"""{"id":{{i}},"file_name":"m{{i}}.jpg","width":4,"height":4}"""));
        root.Write("ann.json", $$"""{"images":[{{images}}],"annotations":[],{{Categories}}}""");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", root.Path, limits: ImportLimits.Default with { MaxMissingListed = 5 }));
        Assert.Equal("ann.json", ex.File);
        Assert.Contains("30 image file(s) listed but missing: m1.jpg, m2.jpg, m3.jpg, m4.jpg, m5.jpg and 25 more", ex.Problem);
    }

    [Fact]
    public void Non_image_file_name_is_refused()
    {
        using var root = new TempDir();
        root.Write("notes.txt", "hello");
        root.Write("ann.json", $$"""{"images":[{"id":1,"file_name":"notes.txt","width":4,"height":4}],"annotations":[],{{Categories}}}""");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", root.Path));
        Assert.StartsWith("$.images[0].file_name, line 1, byte ", ex.Location);
        Assert.Contains("not an image file", ex.Problem);
    }

    [Fact]
    public void Declared_pixel_count_above_the_limit_is_refused()
    {
        using var root = new TempDir();
        root.Write("a.png", TestImages.Png(4, 4));
        root.Write("ann.json", $$"""{"images":[{"id":1,"file_name":"a.png","width":100000,"height":100000}],"annotations":[],{{Categories}}}""");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", root.Path));
        Assert.StartsWith("$.images[0], line 1, byte ", ex.Location);
        Assert.Contains("10000000000 pixels, more than the limit of 100000000", ex.Problem);
    }

    [Fact]
    public void File_name_climbing_out_of_the_root_is_refused()
    {
        using var root = new TempDir();
        root.Write("ann.json", $$"""{"images":[{"id":1,"file_name":"../../etc/x.png","width":4,"height":4}],"annotations":[],{{Categories}}}""");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", root.Path));
        Assert.StartsWith("$.images[0].file_name, line 1, byte ", ex.Location);
        Assert.Contains("escapes the import folder", ex.Problem);
    }

    [Fact]
    public void File_name_climbing_out_of_the_root_is_refused_when_the_annotation_file_lies_outside()
    {
        // The annotation file may lie outside the import folder; the image paths inside it may not.
        using var dir = new TempDir();
        dir.Write("secret.png", TestImages.Png(4, 4, 0));
        Directory.CreateDirectory(dir["images"]);
        var ann = dir.Write("ann.json", $$"""{"images":[{"id":1,"file_name":"../secret.png","width":4,"height":4}],"annotations":[],{{Categories}}}""");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", dir["images"], ann));
        Assert.Equal(ann, ex.File);
        Assert.StartsWith("$.images[0].file_name, line 1, byte ", ex.Location);
        Assert.Contains("escapes the import folder", ex.Problem);
    }

    [Fact]
    public void Annotations_option_naming_no_file_says_where_it_looked()
    {
        using var dir = new TempDir();
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", dir.Path, "missing.json"));
        Assert.Equal("missing.json", ex.File);
        Assert.Contains("annotation file not found", ex.Problem);
        Assert.Contains(dir["missing.json"], ex.Problem);
    }

    [Fact]
    public void Rle_whose_counts_do_not_cover_the_image_is_refused()
    {
        using var root = Dataset("""{"id":1,"image_id":1,"category_id":1,"iscrowd":1,"segmentation":{"size":[4,4],"counts":[3,5]}}""");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", root.Path));
        Assert.StartsWith("$.annotations[0].segmentation.counts, line 1, byte ", ex.Location);
        Assert.Contains("sum to 8, expected height×width = 16", ex.Problem);
    }

    private static TempDir Dataset(string annotation)
    {
        var root = new TempDir();
        root.Write("a.png", TestImages.Png(4, 4));
        root.Write("ann.json", $$"""{"images":[{"id":1,"file_name":"a.png","width":4,"height":4}],"annotations":[{{annotation}}],{{Categories}}}""");
        return root;
    }
}
