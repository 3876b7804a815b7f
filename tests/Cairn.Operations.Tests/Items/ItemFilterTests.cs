using Cairn.Core.Model;
using Cairn.Operations.Filter;
using static Cairn.Operations.Tests.Items.ItemBuilder;

namespace Cairn.Operations.Tests.Items;

public sealed class ItemFilterTests
{
    private static readonly List<ItemRecord> Items =
    [
        Item("cat_01.jpg", "cat"),
        Item("cat_02.png", "cat", "cat", "dog"),
        Item("dog_01.jpg", "dog"),
        Item("empty.jpg") with { Width = 320, Annotation = new Annotation(320, 240, [new Tag("reviewed")], []) },
    ];

    private static string[] Names(ItemFilter f) => f.Apply(Items).Select(i => i.Name).ToArray();

    [Fact]
    public void Class_present_and_absent()
    {
        Assert.Equal(["cat_01.jpg", "cat_02.png"], Names(new ItemFilter { ClassesPresent = ["cat"] }));
        Assert.Equal(["cat_01.jpg", "empty.jpg"], Names(new ItemFilter { ClassesAbsent = ["dog"] }));
        Assert.Equal(["cat_02.png", "dog_01.jpg"], Names(new ItemFilter { AnyClassPresent = ["dog"] }));
    }

    [Fact]
    public void Object_count_range_over_chosen_classes()
    {
        Assert.Equal(["cat_02.png"], Names(new ItemFilter { MinObjects = 2 }));
        Assert.Equal(["cat_01.jpg", "dog_01.jpg", "empty.jpg"], Names(new ItemFilter { MaxObjects = 1 }));
        Assert.Equal(["cat_02.png"], Names(new ItemFilter { MinObjects = 2, CountClasses = ["cat"] }));
    }

    [Fact]
    public void Tags_glob_and_size()
    {
        Assert.Equal(["empty.jpg"], Names(new ItemFilter { TagsPresent = ["reviewed"] }));
        Assert.Equal(["cat_01.jpg", "dog_01.jpg", "empty.jpg"], Names(new ItemFilter { NamePattern = "*.jpg" }));
        Assert.Equal(["cat_01.jpg", "cat_02.png"], Names(new ItemFilter { NamePattern = "cat_0?.*" }));
        Assert.Equal(["cat_01.jpg", "dog_01.jpg"], Names(new ItemFilter { NamePattern = "[cd]*_01.jpg" }));
        Assert.Equal(["empty.jpg"], Names(new ItemFilter { MaxWidth = 400 }));
    }
}
