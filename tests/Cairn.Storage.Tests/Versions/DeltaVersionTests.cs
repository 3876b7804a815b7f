using Cairn.Storage.Maintenance;
using Cairn.Storage.Projects;
using Cairn.Storage.Snapshots;
using Cairn.Storage.Versions;

namespace Cairn.Storage.Tests.Versions;

/// <summary>
/// Versions recorded as deltas over a tree (format version 2) must read, diff, browse and restore exactly like the
/// same versions written as whole trees: two homes get the same edits, one with deltas off and one with deltas from
/// 100 items, and every view of every version is compared.
/// </summary>
public sealed class DeltaVersionTests : IDisposable
{
    private readonly TempHome _trees = new();
    private readonly TempHome _deltas = new();

    public DeltaVersionTests()
    {
        _trees.Store.DeltaMinItems = int.MaxValue;
        _deltas.Store.DeltaMinItems = 100;
    }

    public void Dispose()
    {
        _trees.Dispose();
        _deltas.Dispose();
    }

    [Fact]
    public void Delta_versions_read_diff_browse_and_restore_exactly_like_whole_trees()
    {
        var homes = new[] { _trees, _deltas };
        var projects = homes.Select(h => h.Project("p", 400, seed: 3)).ToArray();
        var versions = homes.Select(h => new VersionService(h.Store)).ToArray();
        var made = homes.Select(_ => new List<VersionSummary>()).ToArray();
        for (var i = 0; i < 2; i++)
        {
            made[i].Add(versions[i].Create(projects[i])!.Version);
        }

        // Rounds of relabels (the 60-item round pushes the delta past 10 % of the train tree: it is folded), removals, additions.
        int[] relabels = [5, 20, 3, 60, 8, 1];
        for (var round = 0; round < relabels.Length; round++)
        {
            for (var i = 0; i < 2; i++)
            {
                Edit(homes[i], projects[i], round, relabels[round]);
                made[i].Add(versions[i].Create(projects[i], $"round {round}")!.Version);
            }

            var a = made[0][^1];
            var b = made[1][^1];
            Assert.Equal(a.Number, b.Number);
            Assert.Equal(Items(versions[0], a), Items(versions[1], b));
            Assert.Equal(a.Stats.ToJson(), b.Stats.ToJson());
            Assert.Equal((a.Items, a.Labels, a.TotalBytes), (b.Items, b.Labels, b.TotalBytes));
            Assert.Equal(Describe(versions[0].Diff(made[0][^2], a, "x", "y")), Describe(versions[1].Diff(made[1][^2], b, "x", "y")));
            var step = versions[0].Diff(made[0][^2], a, "x", "y");
            Assert.Equal(new VersionChanges(step.Added.Count, step.Removed.Count, step.Changed.Count, step.MetaChanged), a.Stats.Changes);
            Assert.Equal(Describe(versions[0].Diff(made[0][0], a, "x", "y")), Describe(versions[1].Diff(b, made[1][0], "y", "x"), swap: true));
            Assert.Equal(Page(versions[0].Browse(a, skip: 37, take: 50)), Page(versions[1].Browse(b, skip: 37, take: 50)));
            Assert.Equal(Page(versions[0].Browse(a, "val", skip: 10, take: 20)), Page(versions[1].Browse(b, "val", skip: 10, take: 20)));
        }

        // The delta home did record deltas, and folded one into a new tree.
        var nodes = new SnapshotObjects(_deltas.Store.Objects);
        var withDelta = made[1].Select(v => nodes.ReadRoot(v.RootId).Datasets.Any(d => d.DeltaId is not null)).ToList();
        Assert.False(withDelta[0]);
        Assert.True(withDelta.Count(x => x) >= 3, string.Join(",", withDelta));
        Assert.Contains(withDelta.Skip(1), x => !x);
        Assert.All(made[0], v => Assert.DoesNotContain(new SnapshotObjects(_trees.Store.Objects).ReadRoot(v.RootId).Datasets, d => d.DeltaId is not null));
        // Deltas cost less than rewritten leaves.
        Assert.True(made[1].Sum(v => v.NewBytes) < made[0].Sum(v => v.NewBytes), $"{made[1].Sum(v => v.NewBytes)} vs {made[0].Sum(v => v.NewBytes)}");

        // Against the working state, with an unversioned edit.
        for (var i = 0; i < 2; i++)
        {
            Edit(homes[i], projects[i], 99, 4);
        }

        var w = versions.Select((s, i) => s.WorkingSnapshot(projects[i])!.Value).ToArray();
        Assert.Equal(Describe(versions[0].Diff(made[0][^1].RootId, made[0][^1].Stats, w[0].RootId, w[0].Stats, "x", "y")), Describe(versions[1].Diff(made[1][^1].RootId, made[1][^1].Stats, w[1].RootId, w[1].Stats, "x", "y")));

        // Restores of a delta version, from the source's rows and from the snapshot alone.
        var deltaVersion = made[1][withDelta.IndexOf(true)];
        var restored = versions[1].Restore(deltaVersion, "back")!;
        Assert.Equal(Items(versions[1], deltaVersion), Working(_deltas, restored.ProjectId));
        _deltas.Projects.Delete(projects[1]);
        var again = versions[1].Restore(made[1][^1], "back again")!;
        Assert.Equal(Items(versions[1], made[1][^1]), Working(_deltas, again.ProjectId));

        // gc keeps every delta node a version needs; fsck re-hashes them and their annotation documents.
        var gc = new GarbageCollector(_deltas.Store).Run(new GcOptions { Grace = TimeSpan.Zero });
        Assert.True(gc.ObjectsRemoved > 0, "the deleted project's working-state nodes are garbage");
        var report = new Fsck(_deltas.Store).Run();
        Assert.True(report.Ok, string.Join("; ", report.Problems));
        Assert.Equal(Items(versions[0], made[0][^1]), Items(versions[1], made[1][^1]));
    }

    [Fact]
    public void Delta_nodes_and_version_2_roots_round_trip_and_version_1_roots_keep_their_bytes()
    {
        var nodes = new SnapshotObjects(_deltas.Store.Objects);
        var tree = new DatasetTree(nodes);
        var entries = Enumerable.Range(0, 5).Select(i => Entry($"a{i}")).ToArray();
        var built = tree.Build("train", entries);
        var deltaBytes = NodeCodec.EncodeDelta(new[] { Entry("a1", labels: 9) }, [System.Text.Encoding.UTF8.GetBytes("a3")]);
        Assert.Equal(SnapshotFormat.DeltaVersion, deltaBytes[4]);
        Assert.Equal((byte)NodeKind.Delta, deltaBytes[5]);
        var deltaId = nodes.Write(deltaBytes);
        var (puts, removed) = nodes.ReadDelta(deltaId);
        Assert.Equal("a1", Assert.Single(puts).Name);
        Assert.Equal(9, puts[0].LabelCount);
        Assert.Equal("a3", System.Text.Encoding.UTF8.GetString(Assert.Single(removed)));

        var v1Root = NodeCodec.EncodeRoot(new RootNode("{}", [built]));
        Assert.Equal(SnapshotFormat.Version, v1Root[4]);
        var withDelta = built with { DeltaId = deltaId, Items = 4 };
        var v2Root = NodeCodec.EncodeRoot(new RootNode("{}", [withDelta, built with { Path = "val" }]));
        Assert.Equal(SnapshotFormat.DeltaVersion, v2Root[4]);
        var decoded = NodeCodec.DecodeRoot(Core.Ids.ContentId.Of(v2Root), v2Root);
        Assert.Equal(withDelta, decoded.Datasets[0]);
        Assert.Null(decoded.Datasets[1].DeltaId);

        // The dataset reads as the tree with the delta laid over it.
        Assert.Equal(["a0", "a1", "a2", "a4"], tree.Items(withDelta).Select(e => e.Name));
        Assert.Equal(9, tree.Items(withDelta).Single(e => e.Name == "a1").LabelCount);

        // A version-1 reader's rule still holds for version 1: a delta kind byte there is damage.
        var bad = (byte[])deltaBytes.Clone();
        bad[4] = SnapshotFormat.Version;
        Assert.Throws<SnapshotFormatException>(() => NodeCodec.KindOf(Core.Ids.ContentId.Of(bad), bad));
    }

    private static ItemEntry Entry(string name, int labels = 1)
    {
        var json = System.Text.Encoding.UTF8.GetBytes($"{{\"n\":\"{name}\",\"l\":{labels}}}");
        return new ItemEntry(name, Core.Ids.ContentId.Of(System.Text.Encoding.UTF8.GetBytes(name)), 10, 4, 3, Core.Ids.ContentId.Of(json), labels, [new LabelTally("c", labels)], json);
    }

    // Relabels `relabels` items, removes one and adds one, all chosen by name from the round number.
    private static void Edit(TempHome home, long project, int round, int relabels)
    {
        var items = home.Projects.StreamItems(project).Select(x => x.Item).OrderBy(x => x.Name, StringComparer.Ordinal).ToList();
        var rnd = new Random(1000 + round);
        foreach (var item in Enumerable.Range(0, relabels).Select(_ => items[rnd.Next(items.Count)]).DistinctBy(x => x.Id))
        {
            home.Projects.UpdateAnnotation(item.Id, TempHome.Boxes(1 + (round % 3), "car", $"class{round}"));
        }

        home.Projects.RemoveItem(items[rnd.Next(items.Count)].Id);
        var (img, size) = home.Image(500_000 + round);
        using var db = home.Store.Catalog();
        using var tx = db.Database.BeginTransaction();
        var seq = ProjectService.BumpSeq(db, project);
        using (var w = new ItemWriter(db, project, seq))
        {
            w.Write(new NewItem(round % 2 == 0 ? "train" : "val", $"added_{round:D2}.jpg", img, size, TempHome.Boxes(2, "dog")));
        }

        tx.Commit();
    }

    private static List<string> Items(VersionService s, VersionSummary v) =>
        s.ReadAll(v).Select(x => $"{x.Dataset}/{x.Name} {x.ImageId} {x.AnnotationId} {x.LabelCount} {x.Width}x{x.Height} {x.ImageSize}").ToList();

    private static List<string> Working(TempHome home, long project) =>
        home.Projects.StreamItems(project).OrderBy(x => x.Dataset, StringComparer.Ordinal).ThenBy(x => x.Item.Name, StringComparer.Ordinal)
            .Select(x => $"{x.Dataset}/{x.Item.Name} {Convert.ToHexStringLower(x.Item.ImageId)} {Convert.ToHexStringLower(x.Item.AnnotationId)} {x.Item.LabelCount} {x.Item.Width}x{x.Item.Height} {x.Item.ImageSize}").ToList();

    private static List<string> Page(VersionPage p) => [$"{p.Total}", .. p.Items.Select(x => $"{x.Dataset}/{x.Name} {x.AnnotationId}")];

    private static List<string> Describe(VersionDiff d, bool swap = false)
    {
        var added = d.Added.Select(x => $"{x.Dataset}/{x.Name}");
        var removed = d.Removed.Select(x => $"{x.Dataset}/{x.Name}");
        var lines = new List<string>();
        lines.AddRange((swap ? removed : added).Select(x => "+" + x).Order(StringComparer.Ordinal));
        lines.AddRange((swap ? added : removed).Select(x => "-" + x).Order(StringComparer.Ordinal));
        lines.AddRange(d.Changed.Select(x => $"~{x.Dataset}/{x.Name} {x.ImageChanged} {x.LabelsChanged}").Order(StringComparer.Ordinal));
        lines.Add($"meta {d.MetaChanged}");
        return lines;
    }
}
