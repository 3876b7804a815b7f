using Cairn.Core.Ids;
using Cairn.Core.Model;
using Cairn.Storage.Maintenance;
using Cairn.Storage.Objects;
using Cairn.Storage.Projects;

namespace Cairn.Storage.Tests.Objects;

/// <summary>Pack files: invisible until committed, deduplicated, verified on read, seen by other processes, collected by gc.</summary>
public sealed class PackTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    private static byte[] Blob(int seed, int size = 5000)
    {
        var b = new byte[size];
        new Random(seed).NextBytes(b);
        return b;
    }

    [Fact]
    public void A_direct_pack_holds_files_of_any_size_back_to_back_and_reads_them_verified()
    {
        var store = _home.Local;
        var dir = Path.Combine(_home.Path, "src");
        Directory.CreateDirectory(dir);
        // Sizes around the 4 KiB block, ones that cross the 8 MiB staging buffer, one larger than it (added in
        // pieces), and one past 16 MiB (stored loose).
        int[] sizes = [1, 4095, 4096, 4097, 70_000, 3 << 20, 3 << 20, 5 << 20, 12345, 12 << 20, 17 << 20];
        var files = new List<(string Path, byte[] Bytes)>();
        for (var i = 0; i < sizes.Length; i++)
        {
            var bytes = Blob(1000 + i, sizes[i]);
            var path = Path.Combine(dir, $"f{i}.bin");
            File.WriteAllBytes(path, bytes);
            files.Add((path, bytes));
        }

        File.WriteAllBytes(Path.Combine(dir, "again.bin"), files[4].Bytes); // the same content twice
        var results = new List<PutResult>();
        using (var w = store.BeginDirectPack())
        {
            results.AddRange(files.Select(f => w.AddFile(f.Path)));
            var again = w.AddFile(Path.Combine(dir, "again.bin"));
            Assert.False(again.Added);
            Assert.Equal(results[4].Id, again.Id);
            Assert.All(results, r => Assert.False(store.Contains(r.Id) && store.TryLocatePacked(r.Id, out _), "nothing packed is visible before the commit"));
            w.Commit();
        }

        for (var i = 0; i < files.Count; i++)
        {
            Assert.Equal(ContentId.Of(files[i].Bytes), results[i].Id);
            Assert.Equal(files[i].Bytes, store.Get(results[i].Id));
        }

        // The 17 MiB file went loose; the rest sit back to back in one pack cut to their total length.
        Assert.False(store.TryLocatePacked(results[10].Id, out _));
        Assert.True(store.TryLocatePacked(results[9].Id, out _));
        var (name, ids) = Assert.Single(store.Packs.Packs);
        Assert.Equal(sizes.Length - 1, ids.Length);
        Assert.Equal(sizes.Sum(s => (long)s) - (17 << 20), new FileInfo(store.Packs.PackPath(name)).Length);
        Assert.True(new Fsck(_home.Store).Run().Ok);
    }

    [Fact]
    public void An_uncommitted_direct_pack_leaves_nothing_and_a_pack_of_duplicates_is_not_published()
    {
        var store = _home.Local;
        var file = Path.Combine(_home.Path, "one.bin");
        File.WriteAllBytes(file, Blob(7, 10_000));
        PutResult first;
        using (var w = store.BeginDirectPack())
        {
            first = w.AddFile(file);
        }

        Assert.False(store.Contains(first.Id));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(store.Root, "packs")));

        store.Put(Blob(7, 10_000));
        using (var w = store.BeginDirectPack())
        {
            Assert.False(w.AddFile(file).Added);
            w.Commit();
        }

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(store.Root, "packs")));
    }

    [Fact]
    public async Task A_new_home_makes_shard_folders_only_as_loose_objects_need_them()
    {
        var store = _home.Local;
        Assert.DoesNotContain(Directory.EnumerateDirectories(store.Root), d => Path.GetFileName(d).Length == 2);

        var small = store.Put(Blob(1)); // written in place: its folder is made on the way
        var large = Blob(2, 9 << 20);
        PutResult big;
        using (var stream = new MemoryStream(large))
        {
            big = store.PutStream(stream); // written in tmp/, then moved: its folder is made on the way
        }

        Assert.True(small.Added && big.Added);
        Assert.Equal(Blob(1), store.Get(small.Id));
        await using (var read = await store.OpenReadAsync(big.Id))
        using (var copy = new MemoryStream())
        {
            await read.CopyToAsync(copy);
            Assert.Equal(large, copy.ToArray());
        }

        var shards = Directory.EnumerateDirectories(store.Root).Select(Path.GetFileName).Where(n => n!.Length == 2).ToHashSet();
        Assert.Equal(new HashSet<string?> { small.Id.ToString()[..2], big.Id.ToString()[..2] }, shards);
    }

    [Fact]
    public void Writers_racing_for_a_new_shard_folder_all_store_their_objects()
    {
        // Objects whose ids share their first byte, so that 8 writers released together each make the first object
        // of the same new folder. When one creates the folder between another's failed open and the runtime's look
        // at the parent, that open fails as FileNotFoundException (not DirectoryNotFoundException); found by the
        // PostgreSQL concurrent-versions test under load.
        var store = _home.Local;
        var byShard = new Dictionary<string, List<byte[]>>();
        var rng = new Random(7);
        for (var n = 0; byShard.Values.Count(l => l.Count >= 8) < 48; n++)
        {
            var blob = new byte[16];
            rng.NextBytes(blob);
            var shard = ContentId.Of(blob).ToString()[..2];
            if (!byShard.TryGetValue(shard, out var list))
            {
                byShard[shard] = list = [];
            }

            list.Add(blob);
        }

        foreach (var group in byShard.Values.Where(l => l.Count >= 8))
        {
            using var start = new Barrier(8);
            var results = new PutResult[8];
            var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
            var writers = Enumerable.Range(0, 8).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    results[i] = store.Put(group[i]);
                }
                catch (Exception e)
                {
                    errors.Enqueue(e);
                }
            })).ToArray();
            foreach (var w in writers)
            {
                w.Start();
            }

            foreach (var w in writers)
            {
                w.Join();
            }

            Assert.Empty(errors);
            Assert.All(results.Zip(group), w => Assert.Equal(w.Second, store.Get(w.First.Id)));
        }
    }

    [Fact]
    public async Task Packed_objects_appear_on_commit_are_deduplicated_and_read_back_verified()
    {
        var store = _home.Local;
        var loose = store.Put(Blob(0)).Id;
        PutResult a, again, known;
        using (var w = store.BeginPack())
        {
            a = w.Add(Blob(1));
            again = w.Add(Blob(1));
            known = w.Add(Blob(0));
            Assert.True(a.Added);
            Assert.False(again.Added);
            Assert.False(known.Added); // already stored loose
            Assert.False(store.Contains(a.Id));
            Assert.Throws<MissingObjectException>(() => store.Get(a.Id));
            w.Commit();
        }

        Assert.True(store.Contains(a.Id));
        Assert.Equal(Blob(1), store.Get(a.Id));
        Assert.Equal(loose, known.Id);
        Assert.False(store.Put(Blob(1)).Added); // a loose write finds it packed
        Assert.False(File.Exists(store.PathOf(a.Id)));

        // Another process (a second store on the same folder) sees the pack; listings include packed objects.
        var other = new LocalObjectStore(store.Root);
        Assert.Equal(Blob(1), other.Get(a.Id));
        var listed = new HashSet<ContentId>();
        await foreach (var o in other.ListAsync())
        {
            listed.Add(o.Id);
        }

        Assert.Contains(a.Id, listed);
        Assert.Contains(loose, listed);
        await using var s = await other.OpenReadAsync(a.Id);
        using var ms = new MemoryStream();
        await s.CopyToAsync(ms);
        Assert.Equal(Blob(1), ms.ToArray());
    }

    [Fact]
    public void An_uncommitted_pack_leaves_nothing_and_a_flipped_byte_is_caught()
    {
        var store = _home.Local;
        ContentId lost;
        using (var w = store.BeginPack())
        {
            lost = w.Add(Blob(7)).Id;
        }

        Assert.False(store.Contains(lost));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(store.Root, "packs")));

        ContentId id;
        using (var w = store.BeginPack())
        {
            w.Add(Blob(8));
            id = w.Add(Blob(9)).Id;
            w.Commit();
        }

        Assert.True(store.TryLocatePacked(id, out var l));
        using (var f = new FileStream(l.Pack, FileMode.Open, FileAccess.ReadWrite))
        {
            f.Position = l.Offset + 10;
            var b = f.ReadByte();
            f.Position--;
            f.WriteByte((byte)(b ^ 1));
        }

        Assert.Throws<CorruptObjectException>(() => store.Get(id));
        // Nothing references it: fsck lists it as a warning (gc removes it), and the store is still sound.
        var report = new Fsck(_home.Store).Run();
        Assert.Contains(report.Warnings, p => p.Kind == "corrupt-unreferenced" && p.ObjectId == id.ToString());
        Assert.True(report.Ok);
    }

    [Fact]
    public void Gc_removes_unreferenced_packs_and_rewrites_partly_referenced_ones()
    {
        var store = _home.Local;
        var items = new List<NewItem>();
        ContentId orphan;
        using (var w = store.BeginPack())
        {
            for (var i = 0; i < 6; i++)
            {
                var put = w.Add(Blob(100 + i));
                items.Add(new NewItem("train", $"i{i}.jpg", put.Id, put.Size, new Annotation(10, 10, [], [])));
            }

            orphan = w.Add(Blob(200)).Id;
            w.Commit();
        }

        using (var w = store.BeginPack())
        {
            w.Add(Blob(300));
            w.Commit();
        }

        _home.Projects.CreateWithItems("p", ProjectMeta.Empty, items);
        Assert.Equal(2, store.Packs.Packs.Count);
        var report = new GarbageCollector(_home.Store).Run(new GcOptions { Grace = TimeSpan.Zero });
        Assert.Equal(2, report.ObjectsRemoved); // the orphan in the first pack, and the whole second pack
        Assert.False(store.Contains(orphan));
        Assert.Single(store.Packs.Packs);
        Assert.All(items, i => Assert.Equal(Blob(100 + int.Parse(i.Name[1..^4], System.Globalization.CultureInfo.InvariantCulture)), store.Get(i.ImageId)));
        Assert.True(new Fsck(_home.Store).Run().Ok);

        // A pack whose index was never written (its writer died in between) is cleaned after the grace period.
        var stray = Path.Combine(store.Root, "packs", "stray.pack");
        File.WriteAllBytes(stray, Blob(5));
        File.SetLastWriteTimeUtc(stray, DateTime.UtcNow.AddHours(-2));
        new GarbageCollector(_home.Store).Run();
        Assert.False(File.Exists(stray));
    }

    [Fact]
    public void Gc_merges_small_packs_into_one_and_a_reader_with_the_old_index_still_finds_every_object()
    {
        var store = _home.Local;
        var items = new List<NewItem>();
        for (var pack = 0; pack < 5; pack++)
        {
            using var w = store.BeginPack();
            for (var i = 0; i < 4; i++)
            {
                var seed = (pack * 10) + i;
                var put = w.Add(Blob(seed));
                items.Add(new NewItem("train", $"i{seed:D2}.jpg", put.Id, put.Size, new Annotation(10, 10, [], [])));
            }

            w.Commit();
        }

        // The same object in two packs (as a crash between a merge's commit and its removals leaves it) is copied once.
        using (var w = store.BeginPack())
        {
            w.Add(Blob(0), checkStore: false);
            w.Commit();
        }

        _home.Projects.CreateWithItems("p", ProjectMeta.Empty, items);
        Assert.Equal(6, store.Packs.Packs.Count);

        // Another process that loaded the indexes before the merge.
        using var other = CairnStore.Open(_home.Path);
        Assert.Equal(Blob(0), other.Objects.Get(items[0].ImageId));

        var dry = new GarbageCollector(_home.Store).Run(new GcOptions { Grace = TimeSpan.Zero, DryRun = true });
        Assert.Equal(6, dry.PacksMerged);
        Assert.Equal(6, store.Packs.Packs.Count);

        var report = new GarbageCollector(_home.Store).Run(new GcOptions { Grace = TimeSpan.Zero });
        Assert.Equal(6, report.PacksMerged);
        Assert.Equal(0, report.ObjectsRemoved);
        var merged = Assert.Single(store.Packs.Packs);
        Assert.Equal(20, merged.Value.Length);
        foreach (var it in items)
        {
            var seed = int.Parse(it.Name[1..3], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Blob(seed), store.Get(it.ImageId));
            Assert.Equal(Blob(seed), other.Objects.Get(it.ImageId)); // its old locations are gone: it looks again
        }

        Assert.True(new Fsck(_home.Store).Run().Ok);

        // One small pack with nothing to drop is left alone: repeated gc runs do not rewrite it.
        Assert.Equal(0, new GarbageCollector(_home.Store).Run(new GcOptions { Grace = TimeSpan.Zero }).PacksMerged);
        Assert.Equal(merged.Key, Assert.Single(store.Packs.Packs).Key);
    }

    [Fact]
    public void A_large_version_writes_its_nodes_into_a_pack_and_reads_checks_and_collects_like_loose_ones()
    {
        var p = _home.Project("big", 2000);
        var versions = new Cairn.Storage.Versions.VersionService(_home.Store);
        var v1 = versions.Create(p)!.Version;
        Assert.True(_home.Local.TryLocatePacked(v1.RootId, out _), "a 2,000-item version's nodes are packed");
        Assert.False(File.Exists(_home.Local.PathOf(v1.RootId)));
        Assert.Equal(2000, versions.ReadAll(v1).Count());

        // A small change writes a few nodes, loose.
        var item = _home.Projects.Items(p, take: 1)[0];
        _home.Projects.UpdateAnnotation(item.Id, TempHome.Boxes(3, "kite"));
        var v2 = versions.Create(p)!.Version;
        Assert.False(_home.Local.TryLocatePacked(v2.RootId, out _));
        Assert.True(File.Exists(_home.Local.PathOf(v2.RootId)));
        Assert.Single(versions.Diff(v1, v2, "1", "2").Changed);

        Assert.True(new Fsck(_home.Store).Run().Ok);
        new GarbageCollector(_home.Store).Run(new GcOptions { Grace = TimeSpan.Zero });
        Assert.True(new Fsck(_home.Store).Run().Ok);
        Assert.Equal(2000, versions.ReadAll(v1).Count());
    }

    [Fact]
    public void Pack_index_bytes_follow_the_documented_layout()
    {
        var a = ContentId.Of("a"u8);
        var b = ContentId.Of("b"u8);
        var first = a.Bytes.SequenceCompareTo(b.Bytes) < 0 ? a : b;
        var second = first == a ? b : a;
        var bytes = PackIndex.EncodeIndex([(second, 100, 7), (first, 0, 100)]);

        // "CRPK", version 1, count 2 (int32 LE), entries sorted by id (id, offset, length as int64 LE), BLAKE3 of the rest.
        var expected = new List<byte> { 0x43, 0x52, 0x50, 0x4B, 1, 2, 0, 0, 0 };
        expected.AddRange(first.Bytes.ToArray());
        expected.AddRange(BitConverter.GetBytes(0L));
        expected.AddRange(BitConverter.GetBytes(100L));
        expected.AddRange(second.Bytes.ToArray());
        expected.AddRange(BitConverter.GetBytes(100L));
        expected.AddRange(BitConverter.GetBytes(7L));
        expected.AddRange(ContentId.Of(expected.ToArray()).Bytes.ToArray());
        Assert.True(BitConverter.IsLittleEndian);
        Assert.Equal(expected.ToArray(), bytes);
        Assert.Equal([(first, 0L, 100L), (second, 100L, 7L)], PackIndex.DecodeIndex("x.idx", bytes));

        bytes[20] ^= 1;
        var e = Assert.Throws<InvalidDataException>(() => PackIndex.DecodeIndex("x.idx", bytes));
        Assert.Contains("x.idx", e.Message);
    }
}
