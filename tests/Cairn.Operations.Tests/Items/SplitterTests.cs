using Cairn.Operations.Split;
using static Cairn.Operations.Tests.Items.ItemBuilder;

namespace Cairn.Operations.Tests.Items;

public sealed class SplitterTests
{
    // 100 items: 80 with only "a", 20 with "a" and "b" ("b" is rarer, so those 20 form their own stratum).
    private static readonly List<ItemRecord> Items =
        [.. Enumerable.Range(0, 80).Select(i => Item($"a{i:D3}.jpg", "a")), .. Enumerable.Range(0, 20).Select(i => Item($"b{i:D3}.jpg", "a", "b"))];

    [Fact]
    public void Stratified_split_gives_each_part_its_exact_share_of_the_rare_class()
    {
        // 0.8 / 0.2 of 100 → 80 / 20 items; of the 20 "b" items exactly 16 / 4, of the 80 others 64 / 16.
        var r = Splitter.Split(Items, new SplitSpec { Seed = 5, Stratified = true, Parts = [new("train", 0.8), new("val", 0.2)] });
        Assert.Equal(80, r.Counts["train"]);
        Assert.Equal(20, r.Counts["val"]);
        Assert.Equal(4, r.Items.Count(i => i.Dataset == "val" && i.Annotation.Labels.Any(l => l.ClassName == "b")));
        Assert.Equal(16, r.Items.Count(i => i.Dataset == "train" && i.Annotation.Labels.Any(l => l.ClassName == "b")));
    }

    [Fact]
    public void Same_seed_same_split_and_another_seed_another()
    {
        var spec = new SplitSpec { Seed = 1, Parts = [new("train", 0.7), new("val", 0.3)] };
        string Val(SplitSpec s) => string.Join(",", Splitter.Split(Items, s).Items.Where(i => i.Dataset == "val").Select(i => i.Name));
        Assert.Equal(Val(spec), Val(spec));
        Assert.NotEqual(Val(spec), Val(spec with { Seed = 2 }));

        // Independent of input order.
        var reversed = Splitter.Split(Items.AsEnumerable().Reverse().ToList(), spec).Items.Where(i => i.Dataset == "val").Select(i => i.Name).Order();
        Assert.Equal(Val(spec).Split(',').Order(), reversed);
    }

    [Fact]
    public void Ratios_round_by_largest_remainder()
    {
        // 10 items at 1/3 each: 3.33 → 3, 3, 3 and the one left goes to the first largest remainder.
        Assert.Equal([4, 3, 3], Splitter.Targets(10, new SplitSpec { Parts = [new("a", 1 / 3.0), new("b", 1 / 3.0), new("c", 1 / 3.0)] }));
    }

    [Fact]
    public void Counts_leave_the_rest_unassigned_and_tags_mode_keeps_datasets()
    {
        var r = Splitter.Split(Items, new SplitSpec { Seed = 3, Target = SplitTarget.Tags, Parts = [new("train", Count: 50), new("test", Count: 10)] });
        Assert.Equal(60, r.Items.Count);
        Assert.Equal(40, r.Unassigned);
        Assert.All(r.Items, i => Assert.Equal("ds", i.Dataset));
        Assert.Equal(50, r.Items.Count(i => i.Annotation.Tags.Any(t => t.Name == "train")));
    }

    [Fact]
    public void Ratios_that_do_not_sum_to_one_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Splitter.Split(Items, new SplitSpec { Parts = [new("a", 0.5), new("b", 0.4)] }));
        Assert.Contains("sum to 0.9", e.Message, StringComparison.Ordinal);
    }
}
