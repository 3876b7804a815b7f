using Cairn.Core.Model;
using Cairn.Core.Serialization;
using Cairn.Storage.Versions;

namespace Cairn.Storage.Tests.Versions;

public class VersionServiceTests : IDisposable
{
    private readonly TempHome _home;

    public VersionServiceTests()
        : this(postgres: false)
    {
    }

    /// <summary>For <see cref="PostgresVersionServiceTests"/>: the same tests on a PostgreSQL catalog.</summary>
    protected VersionServiceTests(bool postgres)
    {
        _home = new TempHome(postgres);
        _versions = new VersionService(_home.Store);
    }

    private readonly VersionService _versions;

    public void Dispose() => _home.Dispose();

    // Versions list datasets by path; the catalog streams them by dataset id.
    private List<(string Dataset, Cairn.Storage.Catalog.ItemRow Item)> Working(long project) =>
        _home.Projects.StreamItems(project).OrderBy(x => x.Dataset, StringComparer.Ordinal).ThenBy(x => x.Item.Name, StringComparer.Ordinal).ToList();

    [Fact]
    public void First_create_makes_version_1_with_statistics_from_the_working_state()
    {
        var p = _home.Project("p", 200);
        var r = _versions.Create(p, "first", "all of it", "tester")!;
        Assert.True(r.Created);
        Assert.Equal(1, r.Version.Number);
        Assert.Equal(200, r.Version.Items);

        // Expected per-class counts come from the catalog's own counting (ProjectService.ClassCounts parses every annotation).
        var counts = _home.Projects.ClassCounts(p);
        Assert.Equal(counts.Keys.Order(), r.Version.Stats.Classes.Keys);
        foreach (var (c, n) in counts)
        {
            Assert.Equal(new ClassStat(n.Labels, n.Images), r.Version.Stats.Classes[c]);
        }

        Assert.Equal(counts.Values.Sum(c => c.Labels), r.Version.Labels);
        Assert.Equal(["train", "val"], r.Version.Stats.Datasets.Select(d => d.Path));
        Assert.Equal(_home.Projects.Items(p, take: 1000).Sum(i => i.ImageSize), r.Version.TotalBytes);
        Assert.True(r.Version.NewBytes > 0, "the first version stores its snapshot nodes");

        // A second project of the same images and labels: its first version stores nothing new (every node is shared),
        // and its images were stored before, so it must not count them as new bytes.
        var twin = _versions.Create(_home.Project("twin", 200))!;
        Assert.InRange(twin.Version.NewBytes, 0, 1024);
        Assert.Equal(r.Version.TotalBytes, twin.Version.TotalBytes);
    }

    [Fact]
    public void Create_without_change_returns_the_existing_version()
    {
        var p = _home.Project("p", 50);
        var v1 = _versions.Create(p)!;
        var again = _versions.Create(p, "nothing new")!;
        Assert.False(again.Created);
        Assert.Equal(v1.Version.Id, again.Version.Id);
        Assert.Single(_versions.List(p));
    }

    [Fact]
    public void Changed_labels_make_a_new_version_whose_diff_names_them()
    {
        var p = _home.Project("p", 300);
        var v1 = _versions.Create(p)!.Version;
        var items = _home.Projects.Items(p, take: 1000);
        var edited = items.Where((_, i) => i % 50 == 7).ToList();
        foreach (var item in edited)
        {
            _home.Projects.UpdateAnnotation(item.Id, TempHome.Boxes(5, "truck"));
        }

        var removed = items[3];
        _home.Projects.RemoveItem(removed.Id);
        var resaved = items[4]; // saved again with the labels it has: touched, not changed
        _home.Projects.UpdateAnnotation(resaved.Id, Cairn.Core.Serialization.AnnotationJson.Parse(resaved.AnnotationJson));
        var r = _versions.Create(p, "relabelled")!;
        Assert.True(r.Created);
        var v2 = r.Version;
        Assert.Equal(2, v2.Number);
        Assert.Equal(299, v2.Items);

        var diff = _versions.Diff(v1, v2, "p@1", "p@2");
        Assert.Empty(diff.Added);
        Assert.Equal([removed.Name], diff.Removed.Select(d => d.Name));
        Assert.Equal(edited.Select(e => e.Name).Order(StringComparer.Ordinal), diff.Changed.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(diff.Changed, c => Assert.True(c.LabelsChanged && !c.ImageChanged));
        Assert.DoesNotContain(diff.Changed, c => c.Name == resaved.Name);

        // The version recorded the same counts as it was made (the history shows them without a diff).
        Assert.Equal(new VersionChanges(0, 1, edited.Count, false), v2.Stats.Changes);
        Assert.Equal(v2.Stats.Changes, _versions.Get(v2.Id)!.Stats.Changes);
        Assert.Null(v1.Stats.Changes);
                var truck = diff.Classes.Single(c => c.ClassName == "truck");
        Assert.Equal((0L, 5L * edited.Count), (truck.LabelsBefore, truck.LabelsAfter));

        // Incremental statistics must equal what the working state says now.
        var counts = _home.Projects.ClassCounts(p);
        foreach (var (c, n) in counts)
        {
            Assert.Equal(new ClassStat(n.Labels, n.Images), v2.Stats.Classes[c]);
        }

        Assert.Equal(counts.Keys.Order(), v2.Stats.Classes.Keys);
    }

    [Fact]
    public void Diff_against_the_working_state_shows_unversioned_changes()
    {
        var p = _home.Project("p", 40);
        var v1 = _versions.Create(p)!.Version;
        var item = _home.Projects.Items(p, take: 1)[0];
        _home.Projects.UpdateAnnotation(item.Id, TempHome.Boxes(1, "cat"));
        var (root, stats) = _versions.WorkingSnapshot(p)!.Value;
        var diff = _versions.Diff(v1.RootId, v1.Stats, root, stats, "p@1", "p");
        Assert.Equal([item.Name], diff.Changed.Select(c => c.Name));
        Assert.Single(_versions.List(p));
    }

    [Fact]
    public void Browse_and_read_all_return_the_versioned_annotations_not_the_working_state()
    {
        var p = _home.Project("p", 30);
        var v1 = _versions.Create(p)!.Version;
        var before = Working(p).ToList();
        _home.Projects.UpdateAnnotation(before[0].Item.Id, TempHome.Boxes(3, "zebra"));

        var all = _versions.ReadAll(v1).ToList();
        Assert.Equal(before.Select(b => (b.Dataset, b.Item.Name, b.Item.AnnotationJson)), all.Select(a => (a.Dataset, a.Name, a.AnnotationText)));
        Assert.Equal(AnnotationJson.Parse(before[0].Item.AnnotationJson), all[0].ParseAnnotation());

        var page = _versions.Browse(v1, skip: 20, take: 5);
        Assert.Equal(30, page.Total);
        Assert.Equal(all.Skip(20).Take(5).Select(a => a.Name), page.Items.Select(i => i.Name));
        var val = _versions.Browse(v1, dataset: "val", take: 100);
        Assert.Equal(all.Count(a => a.Dataset == "val"), val.Items.Count);
    }

    [Fact]
    public void Restore_creates_new_project_sharing_blobs_and_its_version_1_is_the_same_tree()
    {
        var p = _home.Project("p", 120);
        _home.Projects.UpdateMeta(p, new ProjectMeta([new ObjClass("car", GeometryKind.Rectangle, "#ff0000")], []));
        var v1 = _versions.Create(p)!.Version;
        _home.Projects.RemoveItem(_home.Projects.Items(p, take: 1)[0].Id);
        _versions.Create(p);
        var objectsBefore = Directory.EnumerateFiles(_home.Local.Root, "*", SearchOption.AllDirectories).Count();

        var r = _versions.Restore(v1)!;
        Assert.Equal("p v1", r.ProjectName);
        Assert.Equal(120, r.Items);
        var restored = _home.Projects.Get(r.ProjectId)!;
        Assert.Equal(v1.Id, restored.OriginVersionId);
        Assert.Contains("from version 1", restored.Description);
        Assert.Equal(_home.Projects.Get(p)!.MetaJson, restored.MetaJson);
        Assert.Equal(v1.RootId, r.FirstVersion.RootId);
        Assert.Equal(objectsBefore, Directory.EnumerateFiles(_home.Local.Root, "*", SearchOption.AllDirectories).Count());

        var items = Working(r.ProjectId).Select(x => (x.Dataset, x.Item.Name, Image: Convert.ToHexStringLower(x.Item.ImageId), x.Item.AnnotationJson, x.Item.ClassList)).ToList();
        var expected = _versions.ReadAll(v1).Select(x => (x.Dataset, x.Name, Image: x.ImageId.ToString(), x.AnnotationText, ClassList: "")).ToList();
        Assert.Equal(expected.Select(e => (e.Dataset, e.Name, e.Image, e.AnnotationText)), items.Select(i => (i.Dataset, i.Name, i.Image, i.AnnotationJson)));
        // ClassList as the catalog's own writer computed it for the source items (all but the removed one are still there).
        var source = Working(p).ToDictionary(x => (x.Dataset, x.Item.Name), x => x.Item.ClassList);
        Assert.Equal(119, items.Count(i => source.ContainsKey((i.Dataset, i.Name))));
        Assert.All(items.Where(i => source.ContainsKey((i.Dataset, i.Name))), i => Assert.Equal(source[(i.Dataset, i.Name)], i.ClassList));

        // Nothing changed since the restore: the first version is current.
        Assert.False(_versions.Create(r.ProjectId)!.Created);
        Assert.Null(_versions.Restore(v1));
        Assert.NotNull(_versions.Restore(v1, "again"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Restore_gives_exactly_the_version_whether_it_copies_and_patches_or_reads_the_whole_tree(bool deleteSource)
    {
        // Copy-and-patch path: the source's working state moved on (edits, a removal, an added item, unversioned edits).
        var p = _home.Project("p", 150);
        var v1 = _versions.Create(p)!.Version;
        var items = _home.Projects.Items(p, take: 1000);
        foreach (var item in items.Where((_, i) => i % 9 == 0))
        {
            _home.Projects.UpdateAnnotation(item.Id, TempHome.Boxes(2, "kite"));
        }

        _home.Projects.RemoveItem(items[5].Id);
        var (img, size) = _home.Image(999_999);
        using (var db = _home.Store.Catalog())
        using (var tx = db.Database.BeginTransaction())
        {
            var seq = Cairn.Storage.Projects.ProjectService.BumpSeq(db, p);
            using var w = new Cairn.Storage.Projects.ItemWriter(db, p, seq);
            w.Write(new Cairn.Storage.Projects.NewItem("train", "added.jpg", img, size, TempHome.Boxes(1, "car")));
            tx.Commit();
        }

        _versions.Create(p);
        _home.Projects.UpdateAnnotation(items[7].Id, TempHome.Boxes(4, "unversioned"));
        if (deleteSource)
        {
            _home.Projects.Delete(p);
        }

        var r = _versions.Restore(v1, "back")!;
        var restored = Working(r.ProjectId).Select(x => (x.Dataset, x.Item.Name, Image: Convert.ToHexStringLower(x.Item.ImageId), x.Item.ImageSize, x.Item.AnnotationJson, x.Item.LabelCount));
        var expected = _versions.ReadAll(v1).Select(x => (x.Dataset, x.Name, Image: x.ImageId.ToString(), x.ImageSize, x.AnnotationText, x.LabelCount));
        Assert.Equal(expected, restored);
        Assert.Equal(150, r.Items);
        var (root, _) = _versions.WorkingSnapshot(r.ProjectId)!.Value;
        Assert.Equal(v1.RootId, root);
    }

    [Fact]
    public async Task Concurrent_creates_give_distinct_numbers_or_one_version()
    {
        var p = _home.Project("p", 100);
        var items = _home.Projects.Items(p, take: 100);
        var results = new System.Collections.Concurrent.ConcurrentBag<CreateVersionResult>();
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 20; i++)
            {
                _home.Projects.UpdateAnnotation(items[i].Id, TempHome.Boxes(i % 4 + 1, "car"));
            }
        });
        var creators = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 6; i++)
            {
                results.Add(_versions.Create(p)!);
            }
        })).ToArray();
        await Task.WhenAll([writer, .. creators]);
        results.Add(_versions.Create(p)!);

        var list = _versions.List(p);
        Assert.Equal(Enumerable.Range(1, list.Count).Reverse(), list.Select(v => v.Number));
        Assert.Equal(list.Count, list.Select(v => v.ChangeSeq).Distinct().Count());
        Assert.Equal(list.Count, results.Where(r => r.Created).Count());
        Assert.All(results, r => Assert.Contains(list, v => v.Id == r.Version.Id));

        // The last version equals the working state.
        var last = list[0];
        Assert.Equal(Working(p).Select(x => x.Item.AnnotationJson), _versions.ReadAll(last).Select(x => x.AnnotationText));
    }

    [Fact]
    public void Names_outside_ascii_keep_one_order_in_catalog_and_tree()
    {
        // SQLite compares TEXT as UTF-8 bytes; the tree orders keys the same way. UTF-16 order would put U+FF21 (Ａ)
        // before U+1F600 (😀); UTF-8 byte order puts it after. Names chosen to tell the two orders apart.
        string[] names = ["Z.jpg", "a.jpg", "é.jpg", "日本.jpg", "\uFF21.jpg", "\U0001F600.jpg", "ß.jpg"];
        var items = names.Select((n, i) =>
        {
            var (id, size) = _home.Image(i);
            return new Cairn.Storage.Projects.NewItem("ds", n, id, size, TempHome.Boxes(1, "car"));
        }).ToList();
        var p = _home.Projects.CreateWithItems("unicode", new ProjectMeta([], []), items)!.Id;
        var v1 = _versions.Create(p)!.Version;
        var expected = names.OrderBy(n => System.Text.Encoding.UTF8.GetBytes(n), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)));
        Assert.Equal(expected, _versions.ReadAll(v1).Select(i => i.Name));
        _home.Projects.UpdateAnnotation(_home.Projects.Items(p, take: 10).Single(i => i.Name == "日本.jpg").Id, TempHome.Boxes(2, "dog"));
        var v2 = _versions.Create(p)!.Version;
        Assert.Equal(["日本.jpg"], _versions.Diff(v1, v2, "a", "b").Changed.Select(c => c.Name));
    }

    [Theory]
    [InlineData("proj@3", "proj", 3)]
    [InlineData("a@b@12", "a@b", 12)]
    [InlineData("proj", "proj", null)]
    public void Spec_parses(string text, string project, int? number)
    {
        Assert.True(VersionSpec.TryParse(text, out var spec, out _));
        Assert.Equal(new VersionSpec(project, number), spec);
    }

    [Theory]
    [InlineData("proj@")]
    [InlineData("proj@0")]
    [InlineData("@3")]
    [InlineData("proj@x")]
    public void Spec_rejects_bad_numbers(string text)
    {
        Assert.False(VersionSpec.TryParse(text, out _, out var error));
        Assert.Contains(text, error);
    }
}

/// <summary>Every versions test above, on a PostgreSQL catalog (a real server: see Cairn.TestSupport.PostgresServer).</summary>
public sealed class PostgresVersionServiceTests() : VersionServiceTests(postgres: true);
