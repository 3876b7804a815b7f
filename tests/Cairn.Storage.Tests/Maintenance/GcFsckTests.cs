using Cairn.Core.Ids;
using Cairn.Storage.Maintenance;
using Cairn.Storage.Objects;
using Cairn.Storage.Snapshots;
using Cairn.Storage.Versions;

namespace Cairn.Storage.Tests.Maintenance;

public class GcFsckTests : IDisposable
{
    private readonly TempHome _home;

    public GcFsckTests()
        : this(postgres: false)
    {
    }

    /// <summary>For <see cref="PostgresGcFsckTests"/>: the same tests on a PostgreSQL catalog.</summary>
    protected GcFsckTests(bool postgres)
    {
        _home = new TempHome(postgres);
        _versions = new VersionService(_home.Store);
    }

    private readonly VersionService _versions;

    public void Dispose() => _home.Dispose();

    private (long Project, VersionSummary Version) ProjectWithVersion()
    {
        var p = _home.Project("p", 80);
        return (p, _versions.Create(p)!.Version);
    }

    private static void Age(string path) => File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-2));

    [Fact]
    public void Fsck_is_clean_on_a_healthy_store()
    {
        var (p, v1) = ProjectWithVersion();
        _home.Projects.UpdateAnnotation(_home.Projects.Items(p, take: 1)[0].Id, TempHome.Boxes(2, "bus"));
        _versions.Create(p);
        var report = new Fsck(_home.Store).Run();
        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal(2, report.VersionsChecked);
        Assert.Equal(80, report.ItemsChecked);
        Assert.True(report.NodesChecked >= 4);
        Assert.Equal(Directory.EnumerateFiles(_home.Local.Root, "*", SearchOption.AllDirectories).Count(f => Path.GetFileName(Path.GetDirectoryName(f))!.Length == 2), report.ObjectsChecked);
    }

    [Fact]
    public void A_flipped_byte_is_detected_on_read_and_by_fsck()
    {
        var (_, v1) = ProjectWithVersion();
        var tree = new DatasetTree(new SnapshotObjects(_home.Store.Objects));
        var root = new SnapshotObjects(_home.Store.Objects).ReadRoot(v1.RootId);
        var leaf = tree.LeafRefs(root.Datasets[0].TreeId)[0].Id;
        var path = _home.Local.PathOf(leaf);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<CorruptObjectException>(() => _versions.ReadAll(v1).ToList());
        Assert.Equal(leaf, e.Id);
        Assert.Throws<CorruptObjectException>(() => _versions.Browse(v1, take: 1000));

        var report = new Fsck(_home.Store).Run();
        Assert.False(report.Ok);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(("corrupt", leaf.ToString()), (problem.Kind, problem.ObjectId));
    }

    [Fact]
    public void A_corrupt_object_nothing_references_is_a_warning_that_gc_clears()
    {
        ProjectWithVersion();
        var stray = ContentId.Of("an object no version or item refers to"u8);
        var path = _home.Local.PathOf(stray);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, "an object no version or item ref"u8.ToArray()); // truncated: hashes to something else

        var report = new Fsck(_home.Store).Run();
        Assert.True(report.Ok, string.Join("\n", report.Problems));
        var warning = Assert.Single(report.Warnings);
        Assert.Equal(("corrupt-unreferenced", stray.ToString()), (warning.Kind, warning.ObjectId));

        new GarbageCollector(_home.Store).Run(new GcOptions { Grace = TimeSpan.Zero });
        Assert.False(File.Exists(path));
        Assert.Empty(new Fsck(_home.Store).Run().Warnings);
    }

    [Fact]
    public void Fsck_names_who_refers_to_a_missing_image()
    {
        var (p, _) = ProjectWithVersion();
        var item = _home.Projects.Items(p, take: 1)[0];
        File.Delete(_home.Local.PathOf(ContentId.FromBytes(item.ImageId)));
        var report = new Fsck(_home.Store).Run();
        var problem = Assert.Single(report.Problems);
        Assert.Equal("missing", problem.Kind);
        Assert.Contains($"item '{item.Name}'", problem.ReferencedBy);
    }

    [Fact]
    public void Gc_removes_old_unreferenced_objects_and_keeps_young_and_referenced_ones()
    {
        var (p, v1) = ProjectWithVersion();
        var old = _home.Store.Objects.Put("orphan, old"u8).Id;
        var young = _home.Store.Objects.Put("orphan, young"u8).Id;
        Age(_home.Local.PathOf(old));

        // A working-state snapshot (diff against the working state) leaves nodes no version keeps.
        _home.Projects.UpdateAnnotation(_home.Projects.Items(p, take: 1)[0].Id, TempHome.Boxes(1, "cat"));
        var (workingRoot, _) = _versions.WorkingSnapshot(p)!.Value;
        Age(_home.Local.PathOf(workingRoot));

        foreach (var f in Directory.EnumerateFiles(_home.Local.Root, "*", SearchOption.AllDirectories))
        {
            if (!f.EndsWith(young.ToString()[2..], StringComparison.Ordinal))
            {
                Age(f);
            }
        }

        var dry = new GarbageCollector(_home.Store).Run(new GcOptions { DryRun = true });
        Assert.True(File.Exists(_home.Local.PathOf(old)));
        var report = new GarbageCollector(_home.Store).Run();
        Assert.Equal(dry.ObjectsRemoved, report.ObjectsRemoved);
        Assert.False(File.Exists(_home.Local.PathOf(old)));
        Assert.False(File.Exists(_home.Local.PathOf(workingRoot)));
        Assert.True(File.Exists(_home.Local.PathOf(young)));
        Assert.Equal(1, report.KeptYoung);
        Assert.True(report.ObjectsRemoved >= 3, $"the orphan, the working root and its changed leaf; removed {report.ObjectsRemoved}");

        // Everything a version or the working state needs is still there.
        Assert.True(new Fsck(_home.Store).Run().Ok);
        Assert.Equal(80, _versions.ReadAll(v1).Count());
        Assert.True(_versions.Create(p)!.Created);
    }

    [Fact]
    public void Reusing_an_existing_node_refreshes_its_time_so_gc_keeps_it()
    {
        var (p, v1) = ProjectWithVersion();
        var rootPath = _home.Local.PathOf(v1.RootId);
        Age(rootPath);
        new SnapshotObjects(_home.Store.Objects).Write(File.ReadAllBytes(rootPath));
        Assert.True(File.GetLastWriteTimeUtc(rootPath) > DateTime.UtcNow.AddMinutes(-1));
    }
}

/// <summary>Every gc and fsck test above, on a PostgreSQL catalog (a real server: see Cairn.TestSupport.PostgresServer).</summary>
public sealed class PostgresGcFsckTests() : GcFsckTests(postgres: true);
