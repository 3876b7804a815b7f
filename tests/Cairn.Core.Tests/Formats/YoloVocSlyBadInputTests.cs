using System.IO.Compression;
using Cairn.Core.Formats;
using Cairn.Core.Model;

namespace Cairn.Core.Tests.Formats;

public sealed class YoloVocSlyBadInputTests
{
    [Fact]
    public void Yolo_reads_names_as_a_map_and_splits_as_datasets()
    {
        using var root = Yolo("0 0.5 0.5 0.5 0.5\n1 0.1 0.1 0.9 0.1 0.9 0.9\n", names: "names:\n  0: cat\n  1: dog\n");
        var p = FormatTestKit.Read("yolo", root.Path);
        var item = Assert.Single(p.Items);
        Assert.Equal(("train", "a.png"), (item.Dataset, item.Name));
        Assert.Equal(["cat", "dog"], p.Meta.Classes.Select(c => c.Name));

        // Image 20×10: the box cx=.5 cy=.5 w=.5 h=.5 spans x 5..15, y 2.5..7.5; the polygon's first point is (.1·20, .1·10).
        Assert.Equal(new BoxD(5, 2.5, 15, 7.5), ((RectangleGeometry)item.Annotation.Labels[0].Geometry).Box);
        Assert.Equal(new PointD(2, 1), ((PolygonGeometry)item.Annotation.Labels[1].Geometry).Exterior[0]);
    }

    [Fact]
    public void Yolo_split_paths_are_relative_to_path_and_may_be_image_lists()
    {
        using var root = new TempDir();
        root.Write("data.yaml", "path: ds\ntrain: train.txt\nval: [images/val]\nnames: {0: cat}\n");
        root.Write("ds/images/train/a.png", TestImages.Png(10, 10));
        root.Write("ds/images/train/unlisted.png", TestImages.Png(10, 10));
        root.Write("ds/images/val/b.png", TestImages.Png(10, 10));
        root.Write("ds/labels/train/a.txt", "0 0.5 0.5 0.2 0.2\n");
        root.Write("ds/train.txt", "./images/train/a.png\n");
        var p = FormatTestKit.Read("yolo", root.Path);
        Assert.Equal(["train/a.png", "val/b.png"], p.Items.Select(i => i.Dataset + "/" + i.Name));
        Assert.Single(p.Items[0].Annotation.Labels);
    }

    [Fact]
    public void Yolo_class_outside_names_names_file_and_line()
    {
        using var root = Yolo("0 0.5 0.5 0.2 0.2\n\n7 0.5 0.5 0.2 0.2\n");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("yolo", root.Path));
        Assert.Equal("labels/train/a.txt", ex.File);
        Assert.Equal("line 3", ex.Location);
        Assert.Contains("class 7 is not in names", ex.Problem);
    }

    [Fact]
    public void Yolo_wrong_value_count_and_bad_numbers_are_refused()
    {
        using var root = Yolo("0 0.5 0.5 0.2\n");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("yolo", root.Path));
        Assert.Equal("line 1", ex.Location);
        Assert.Contains("expected 'class cx cy w h'", ex.Problem);

        using var root2 = Yolo("0 0.5 abc 0.2 0.2\n");
        var ex2 = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("yolo", root2.Path));
        Assert.Contains("'abc' is not a number", ex2.Problem);

        using var root3 = Yolo("0 50 40 10 10\n");
        var ex3 = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("yolo", root3.Path));
        Assert.Contains("outside 0..1", ex3.Problem);
    }

    [Fact]
    public void Yolo_label_file_without_an_image_is_refused()
    {
        using var root = Yolo("0 0.5 0.5 0.2 0.2\n");
        root.Write("labels/train/ghost.txt", "0 0.5 0.5 0.2 0.2\n");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("yolo", root.Path));
        Assert.Equal("labels/train", ex.File);
        Assert.Contains("1 label file(s) without an image", ex.Problem);
        Assert.Contains("labels/train/ghost.txt", ex.Problem);
    }

    [Fact]
    public void Yolo_malformed_yaml_names_the_line()
    {
        using var root = Yolo("", names: "names: [cat, dog\ntrain: images/train\n");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("yolo", root.Path));
        Assert.Equal("data.yaml", ex.File);
        Assert.Equal("line 2 (end of file)", ex.Location);
        Assert.Contains("malformed YAML", ex.Problem);

        using var root2 = Yolo("", names: "names: [cat]\ntrain: images/train\nval: 'open\n");
        var ex2 = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("yolo", root2.Path));
        Assert.StartsWith("line 3", ex2.Location);
        Assert.Contains("malformed YAML", ex2.Problem);
    }

    [Fact]
    public void Yolo_missing_split_folder_is_refused()
    {
        using var root = Yolo("", names: "names: [cat]\nval: images/nowhere\n");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("yolo", root.Path));
        Assert.Equal("data.yaml", ex.File);
        Assert.Contains("'val' path 'images/nowhere' not found", ex.Problem);
    }

    [Fact]
    public void Image_header_declaring_too_many_pixels_is_refused_without_decoding()
    {
        using var root = Yolo("");
        root.Write("images/train/huge.png", TestImages.PngHeaderOnly(100_000, 100_000));
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("yolo", root.Path));
        Assert.Equal("images/train/huge.png", ex.File);
        Assert.Contains("10000000000 pixels, more than the limit of 100000000", ex.Problem);
    }

    [Fact]
    public void File_with_an_image_name_that_is_no_image_is_refused()
    {
        using var root = Yolo("");
        root.Write("images/train/fake.jpg", "this is text, not a JPEG");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("yolo", root.Path));
        Assert.Equal("images/train/fake.jpg", ex.File);
        Assert.Contains("not a readable image", ex.Problem);
    }

    [Fact]
    public void Voc_reads_flags_as_tags_and_the_one_based_corners()
    {
        using var root = Voc("""
            <annotation><filename>a.png</filename><size><width>20</width><height>10</height></size>
              <object><name>cat</name><pose>Left</pose><truncated>1</truncated><difficult>1</difficult>
                <bndbox><xmin>1</xmin><ymin>2</ymin><xmax>10</xmax><ymax>8</ymax></bndbox></object>
            </annotation>
            """);
        var p = FormatTestKit.Read("voc", root.Path);
        var label = Assert.Single(Assert.Single(p.Items).Annotation.Labels);

        // VOC pixels are 1-based and inclusive: xmin 1..xmax 10 covers 10 columns, continuous 0..10.
        Assert.Equal(new BoxD(0, 1, 10, 8), ((RectangleGeometry)label.Geometry).Box);
        Assert.Equal([new Tag("difficult"), new Tag("truncated"), new Tag("pose", "Left")], label.Tags);
        Assert.Equal("train", p.Items[0].Dataset);
    }

    [Fact]
    public void Voc_malformed_xml_names_line_and_column()
    {
        using var root = Voc("<annotation><filename>a.png</filename>\n<object><name>cat</object></annotation>");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("voc", root.Path));
        Assert.Equal("Annotations/a.xml", ex.File);
        Assert.StartsWith("line 2", ex.Location);
    }

    [Fact]
    public void Voc_bad_coordinate_and_external_entities_are_refused()
    {
        using var root = Voc("<annotation><filename>a.png</filename><object><name>cat</name>\n<bndbox><xmin>one</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object></annotation>");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("voc", root.Path));
        Assert.Equal("line 2", ex.Location);
        Assert.Contains("<xmin> is 'one', expected a number", ex.Problem);

        using var xxe = Voc("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><annotation><filename>&x;</filename></annotation>");
        var ex2 = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("voc", xxe.Path));
        Assert.Contains("malformed XML", ex2.Problem);
    }

    [Fact]
    public void Voc_missing_images_are_listed()
    {
        using var root = Voc("<annotation><filename>gone.jpg</filename></annotation>");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("voc", root.Path));
        Assert.Equal("Annotations", ex.File);
        Assert.Contains("1 image file(s) listed but missing: JPEGImages/gone.jpg", ex.Problem);
    }

    [Fact]
    public void Supervisely_object_of_a_class_missing_from_meta_is_refused()
    {
        using var root = Sly("""{"size":{"height":10,"width":20},"tags":[],"objects":[{"classTitle":"ghost","geometryType":"point","tags":[],"points":{"exterior":[[1,2]],"interior":[]}}]}""");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("supervisely", root.Path));
        Assert.Equal("ds/ann/a.png.json", ex.File);
        Assert.Equal("$.objects[0].classTitle", ex.Location);
        Assert.Contains("class 'ghost' is not in meta.json", ex.Problem);
    }

    [Fact]
    public void Supervisely_unknown_tag_and_broken_bitmap_are_refused()
    {
        using var root = Sly("""{"size":{"height":10,"width":20},"tags":[{"name":"nope","value":null}],"objects":[]}""");
        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("supervisely", root.Path));
        Assert.Equal("$.tags[0].name", ex.Location);

        var notZlib = Convert.ToBase64String("plain bytes"u8.ToArray());
        using var root2 = Sly($$$"""{"size":{"height":10,"width":20},"tags":[],"objects":[{"classTitle":"cat","geometryType":"bitmap","tags":[],"bitmap":{"data":"{{{notZlib}}}","origin":[1,1]}}]}""");
        var ex2 = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("supervisely", root2.Path));
        Assert.Equal("$.objects[0].bitmap.data", ex2.Location);
        Assert.Contains("not zlib-compressed", ex2.Problem);
    }

    [Fact]
    public void Supervisely_bitmap_written_by_supervisely_decodes_at_its_origin()
    {
        // A 3×2 mask as Supervisely's SDK stores it: a PNG of the crop, zlib, base64; origin [4, 5] = (x, y).
        var png = TestImages.Png(3, 2, level: 255);
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(png);
        }

        var data = Convert.ToBase64String(ms.ToArray());
        using var root = Sly($$$"""{"size":{"height":10,"width":20},"tags":[],"objects":[{"classTitle":"cat","geometryType":"bitmap","tags":[],"bitmap":{"data":"{{{data}}}","origin":[4,5]}}]}""");
        var p = FormatTestKit.Read("supervisely", root.Path);
        var mask = (MaskGeometry)p.Items[0].Annotation.Labels[0].Geometry;
        Assert.Equal(6, mask.Rle.Area());
        Assert.Equal(new BoxD(4, 5, 7, 7), mask.Rle.Bounds());
    }

    [Fact]
    public void Supervisely_sdk_style_palette_bitmap_decodes_its_transparent_background_as_empty()
    {
        // Mask rows (y = 0, 1): .## / ##.  → 4 foreground pixels, at origin (x 2, y 3) of a 20×10 image.
        var png = TestImages.PaletteMaskPng(new[,] { { false, true, true }, { true, true, false } });
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(png);
        }

        var data = Convert.ToBase64String(ms.ToArray());
        using var root = Sly($$$"""{"size":{"height":10,"width":20},"tags":[],"objects":[{"classTitle":"cat","geometryType":"bitmap","tags":[],"bitmap":{"data":"{{{data}}}","origin":[2,3]}}]}""");
        var mask = ((MaskGeometry)FormatTestKit.Read("supervisely", root.Path).Items[0].Annotation.Labels[0].Geometry).Rle;
        Assert.Equal(4, mask.Area());
        var pixels = mask.Decode(); // column-major: index = x * height + y
        Assert.Equal(0, pixels[(2 * 10) + 3]);
        Assert.Equal(1, pixels[(3 * 10) + 3]);
        Assert.Equal(1, pixels[(2 * 10) + 4]);
        Assert.Equal(0, pixels[(4 * 10) + 4]);
    }

    private static TempDir Yolo(string labels, string names = "names: [cat, dog]\n")
    {
        var root = new TempDir();
        root.Write("data.yaml", names.Contains("train:", StringComparison.Ordinal) || names.Contains("val:", StringComparison.Ordinal) ? names : names + "train: images/train\n");
        root.Write("images/train/a.png", TestImages.Png(20, 10));
        root.Write("labels/train/a.txt", labels);
        return root;
    }

    private static TempDir Voc(string xml)
    {
        var root = new TempDir();
        root.Write("Annotations/a.xml", xml);
        root.Write("JPEGImages/a.png", TestImages.Png(20, 10));
        root.Write("ImageSets/Main/train.txt", "a\n");
        return root;
    }

    private static TempDir Sly(string ann)
    {
        var root = new TempDir();
        root.Write("meta.json", """{"classes":[{"title":"cat","shape":"any","color":"#FF0000"}],"tags":[]}""");
        root.Write("ds/img/a.png", TestImages.Png(20, 10));
        root.Write("ds/ann/a.png.json", ann);
        return root;
    }
}
