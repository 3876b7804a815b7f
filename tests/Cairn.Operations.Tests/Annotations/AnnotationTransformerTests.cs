using Cairn.Core.Model;
using Cairn.Operations.Annotations;

namespace Cairn.Operations.Tests.Annotations;

public sealed class AnnotationTransformerTests
{
    private static readonly ProjectMeta Meta = new(
        [new ObjClass("car", GeometryKind.Rectangle, "#ff0000"), new ObjClass("truck", GeometryKind.Rectangle, "#00ff00"), new ObjClass("road", GeometryKind.Polygon, "#0000ff")],
        [new TagMeta("night", TagValueType.None)]);

    private static readonly Annotation Item = new(
        20, 20, [new Tag("night")],
        [
            new Label("car", new RectangleGeometry(new BoxD(0, 0, 4, 4)), [], 0.9),
            new Label("truck", new RectangleGeometry(new BoxD(5, 5, 15, 15)), [], 0.3),
            new Label("road", new PolygonGeometry([new(0, 10), new(10, 10), new(10, 20), new(0, 20)])),
        ]);

    [Fact]
    public void Merge_classes_renames_labels_and_keeps_one_class()
    {
        var t = AnnotationTransformer.FromJson("""{"ops": [{"op": "mergeClasses", "sources": ["car", "truck"], "into": "vehicle"}]}""", Meta);
        Assert.Equal(["vehicle", "road"], t.Meta.Classes.Select(c => c.Name));
        Assert.Equal(GeometryKind.Rectangle, t.Meta.FindClass("vehicle")!.Shape);
        Assert.Equal(["vehicle", "vehicle", "road"], t.Apply(Item).Labels.Select(l => l.ClassName));
    }

    [Fact]
    public void Rename_to_an_existing_class_is_refused_with_the_op_index()
    {
        var e = Assert.Throws<FormatException>(() => AnnotationTransformer.FromJson("""{"ops": [{"op": "dropClasses", "names": []}, {"op": "renameClass", "from": "car", "to": "truck"}]}""", Meta, "t.json"));
        Assert.Contains("t.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("$.ops[1]", e.Message, StringComparison.Ordinal);
        Assert.Contains("mergeClasses", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Drop_by_area_and_confidence()
    {
        // Areas: car 16, truck 100, road 100. minArea 20 drops the car; minConfidence 0.5 drops the truck (0.3);
        // the road has no confidence and area 100, so it stays.
        var t = new AnnotationTransformer([new DropLabels { MinArea = 20 }, new DropLabels { MinConfidence = 0.5 }], Meta);
        Assert.Equal(["road"], t.Apply(Item).Labels.Select(l => l.ClassName));
    }

    [Fact]
    public void Polygon_to_mask_to_polygon_round_trips_a_pixel_aligned_square()
    {
        var t = new AnnotationTransformer([new ConvertShape { To = GeometryKind.Mask, Classes = ["road"] }, new ConvertShape { To = GeometryKind.Polygon, Classes = ["road"] }], Meta);
        var road = t.Apply(Item).Labels.Single(l => l.ClassName == "road");
        var poly = Assert.IsType<PolygonGeometry>(road.Geometry);
        Assert.Equal(100, poly.Area());
        Assert.Equal(new BoxD(0, 10, 10, 20), poly.Bounds());
        Assert.Equal(GeometryKind.Polygon, t.Meta.FindClass("road")!.Shape);
    }

    [Fact]
    public void Polygon_to_box_takes_the_bounds()
    {
        var t = new AnnotationTransformer([new ConvertShape { To = GeometryKind.Rectangle }], Meta);
        var road = t.Apply(Item).Labels.Single(l => l.ClassName == "road");
        Assert.Equal(new BoxD(0, 10, 10, 20), Assert.IsType<RectangleGeometry>(road.Geometry).Box);
        Assert.Equal(GeometryKind.Rectangle, t.Meta.FindClass("road")!.Shape);
    }

    [Fact]
    public void Json_ops_take_enum_names_as_written_in_the_docs()
    {
        var t = AnnotationTransformer.FromJson(
            """{"ops": [{"op": "addTag", "name": "checked", "target": "Labels", "classes": ["car"]}, {"op": "convertShape", "to": "Polygon", "classes": ["car"]}]}""",
            Meta);
        var car = t.Apply(Item).Labels[0];
        Assert.Equal([new Tag("checked")], car.Tags);
        Assert.IsType<PolygonGeometry>(car.Geometry);
    }

    [Fact]
    public void Tags_are_added_renamed_and_removed_on_images_and_labels()
    {
        var t = new AnnotationTransformer(
        [
            new AddTag("checked", "yes") { Target = TagTarget.Labels, Classes = ["car"] },
            new RenameTag("night", "dark"),
            new RemoveTag("dark") { Target = TagTarget.Image },
        ], Meta);
        var a = t.Apply(Item);
        Assert.Empty(a.Tags);
        Assert.Equal([new Tag("checked", "yes")], a.Labels[0].Tags);
        Assert.Empty(a.Labels[1].Tags);
        Assert.Equal(["dark", "checked"], t.Meta.Tags.Select(x => x.Name));
    }
}
