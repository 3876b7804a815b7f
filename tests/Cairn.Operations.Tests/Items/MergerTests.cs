using Cairn.Core.Model;
using Cairn.Operations.Merge;
using static Cairn.Operations.Tests.Items.ItemBuilder;

namespace Cairn.Operations.Tests.Items;

public sealed class MergerTests
{
    private static readonly MergeSource A = new(
        "a",
        new ProjectMeta([new ObjClass("car", GeometryKind.Rectangle, "#ff0000"), new ObjClass("person", GeometryKind.Rectangle, "#00ff00")], []),
        [ItemIn("train", "1.jpg", "id1", "car"), ItemIn("train", "2.jpg", "id2", "person")]);

    private static readonly MergeSource B = new(
        "b",
        new ProjectMeta([new ObjClass("car", GeometryKind.Polygon, "#ff0000"), new ObjClass("human", GeometryKind.Rectangle, "#0000ff")], []),
        [ItemIn("train", "1.jpg", "id3", "car"), ItemIn("train", "9.jpg", "id2", "human")]);

    [Fact]
    public void Classes_join_by_name_and_a_shape_conflict_is_reported()
    {
        var r = Merger.Merge([A, B]);
        Assert.Equal(["car", "person", "human"], r.Meta.Classes.Select(c => c.Name));
        Assert.Equal(GeometryKind.Any, r.Meta.FindClass("car")!.Shape);
        var conflict = Assert.Single(r.Conflicts);
        Assert.Equal("car", conflict.Name);
    }

    [Fact]
    public void Renamed_class_merges_into_the_existing_one()
    {
        var r = Merger.Merge([A, B], new MergeOptions { Renames = [new ClassRename("b", "human", "person")] });
        Assert.Equal(["car", "person"], r.Meta.Classes.Select(c => c.Name));
        Assert.Equal("person", r.Items.Single(i => i.ImageId == "id2" && i.Name == "9.jpg").Annotation.Labels[0].ClassName);
    }

    [Fact]
    public void Duplicate_images_are_reported_and_skipped_on_request()
    {
        var kept = Merger.Merge([A, B]);
        var dup = Assert.Single(kept.Duplicates);
        Assert.Equal(("id2", "a", "train/2.jpg", "b", "train/9.jpg"), (dup.ImageId, dup.FirstSource, dup.FirstItem, dup.Source, dup.Item));
        Assert.Equal(4, kept.Items.Count);

        var skipped = Merger.Merge([A, B], new MergeOptions { SkipDuplicates = true });
        Assert.Equal(3, skipped.Items.Count);
        Assert.True(Assert.Single(skipped.Duplicates).Skipped);
    }

    [Fact]
    public void Colliding_names_get_a_suffix_unless_each_source_has_its_folder()
    {
        var r = Merger.Merge([A, B]);
        Assert.Contains(r.Items, i => i.Name == "1_2.jpg" && i.ImageId == "id3");
        Assert.Single(r.RenamedItems);

        var folders = Merger.Merge([A, B], new MergeOptions { DatasetPerSource = true });
        Assert.Empty(folders.RenamedItems);
        Assert.Equal(["a/train", "b/train"], folders.Items.Select(i => i.Dataset).Distinct());
    }
}
