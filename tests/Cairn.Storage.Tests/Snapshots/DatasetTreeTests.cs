using System.Text;
using Cairn.Core.Ids;
using Cairn.Storage.Snapshots;

namespace Cairn.Storage.Tests.Snapshots;

public sealed class DatasetTreeTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    private static ItemEntry Entry(string name, int variant)
    {
        var json = Encoding.UTF8.GetBytes($"{{\"v\":1,\"w\":10,\"h\":10,\"labels\":[{{\"class\":\"c{variant % 3}\"}}]}}");
        return new ItemEntry(name, ContentId.Of(Encoding.UTF8.GetBytes(name)), 100 + variant, 10, 10, ContentId.Of(json), 1, AnnotationTally.Count(json), json);
    }

    private static List<ItemEntry> Sorted(IEnumerable<ItemEntry> items) =>
        items.OrderBy(e => e.Key, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToList();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Patch_gives_the_same_tree_as_a_full_build_of_the_result(int seed)
    {
        // The tree shape is a function of content only; so patching v1 into v2 must give exactly Build(v2).
        var rnd = new Random(seed);
        var nodes = new SnapshotObjects(_home.Store.Objects);
        var tree = new DatasetTree(nodes);
        var state = new SortedDictionary<string, ItemEntry>(StringComparer.Ordinal);
        for (var i = 0; i < 3000; i++)
        {
            var name = $"n{rnd.Next(100_000):D6}";
            state[name] = Entry(name, 0);
        }

        var current = tree.Build("ds", Sorted(state.Values));
        for (var round = 0; round < 5; round++)
        {
            var changes = new SortedDictionary<byte[], ItemEntry?>(Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)));
            var keys = state.Keys.ToList();
            for (var c = 0; c < 40; c++)
            {
                var op = rnd.Next(3);
                if (op == 0)
                {
                    var name = $"n{rnd.Next(100_000):D6}";
                    changes[Encoding.UTF8.GetBytes(name)] = Entry(name, round + 1);
                }
                else if (op == 1)
                {
                    var name = keys[rnd.Next(keys.Count)];
                    changes[Encoding.UTF8.GetBytes(name)] = Entry(name, round + 7);
                }
                else
                {
                    changes[Encoding.UTF8.GetBytes(keys[rnd.Next(keys.Count)])] = null;
                }
            }

            var seen = 0;
            current = tree.Patch(current, changes.ToList(), (_, _) => seen++);
            foreach (var (k, v) in changes)
            {
                var name = Encoding.UTF8.GetString(k);
                if (v is null)
                {
                    state.Remove(name);
                }
                else
                {
                    state[name] = v;
                }
            }

            var rebuilt = tree.Build("ds", Sorted(state.Values));
            Assert.Equal(rebuilt.TreeId, current.TreeId);
            Assert.Equal(state.Count, current.Items);
            Assert.Equal(state.Keys, tree.Items(current.TreeId).Select(e => e.Name));
            Assert.True(seen > 0);
        }
    }

    [Fact]
    public void One_changed_item_rewrites_a_few_small_nodes()
    {
        var nodes = new SnapshotObjects(_home.Store.Objects);
        var tree = new DatasetTree(nodes);
        var items = Enumerable.Range(0, 20_000).Select(i => Entry($"item{i:D6}", 0)).ToList();
        var v1 = tree.Build("ds", items);
        var before = nodes.NewNodes;
        var v2 = tree.Patch(v1, [new(items[12_345].Key, Entry("item012345", 5))]);
        var written = nodes.NewNodes - before;

        // A leaf, its neighbours until the boundaries line up, and one page per index level: far fewer than the
        // 20,000 / 16 ≈ 1,250 leaves of the tree.
        Assert.NotEqual(v1.TreeId, v2.TreeId);
        Assert.InRange(written, 2, 8);
        var (a, b) = tree.DirtyLeaves(v1.TreeId, v2.TreeId);
        Assert.Single(a);
        Assert.Single(b);
    }

    [Fact]
    public void Page_skips_by_subtree_counts()
    {
        var tree = new DatasetTree(new SnapshotObjects(_home.Store.Objects));
        var items = Enumerable.Range(0, 5000).Select(i => Entry($"item{i:D6}", 0)).ToList();
        var v = tree.Build("ds", items);
        Assert.Equal(["item003210", "item003211", "item003212"], tree.Page(v.TreeId, 3210, 3).Select(e => e.Name));
        Assert.Equal(["item004999"], tree.Page(v.TreeId, 4999, 10).Select(e => e.Name));
        Assert.Empty(tree.Page(v.TreeId, 5000, 10));
    }

    [Fact]
    public void Build_rejects_unsorted_input()
    {
        var tree = new DatasetTree(new SnapshotObjects(_home.Store.Objects));
        var e = Assert.Throws<InvalidOperationException>(() => tree.Build("ds", [Entry("b", 0), Entry("a", 0)]));
        Assert.Contains("'a' follows 'b'", e.Message);
    }
}
