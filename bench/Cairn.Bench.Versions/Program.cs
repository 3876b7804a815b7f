// Versioning at a million items: a console harness (one-shot operations on a big store, so medians of a few runs
// rather than BenchmarkDotNet's many iterations). Usage:
//   setup <home> [items]        build a synthetic project "big" (items share 1,000 images) and its version 1
//   run <home> [pattern]        no-change create, ten 1%-different versions (pattern: scattered|clustered),
//                               1,000-label changes + create + diff, restore; prints a JSON summary
//   relabel <home> <n> <seed>   changes the labels of n random items of "big" in the working state (for timing
//                               the CLI's own commands on the store: bench/version-1m-cli.sh)
using System.Diagnostics;
using System.Text.Json;
using Cairn.Core.Ids;
using Cairn.Core.Model;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Microsoft.EntityFrameworkCore;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: setup <home> [items] | run <home> [scattered|clustered]");
    return 2;
}

var home = args[1];
return args[0] switch
{
    "setup" => Setup(home, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000),
    "run" => Run(home, args.Length > 2 ? args[2] : "scattered"),
    "restore" => RestoreOnly(home),
    "readall" => ReadAllOnly(home),
    "relabel" => Relabel(home, int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture)),
    "edit" => EditFolder(home, args[2], args[3], int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture)),
    _ => 2,
};

static Annotation Labels(int item, int variant)
{
    string[] classes = ["car", "person", "dog", "bus", "bicycle"];
    var n = 1 + (item * 7 + variant) % 4;
    var labels = new List<Label>(n);
    for (var i = 0; i < n; i++)
    {
        var x = (item * 13 + i * 37 + variant * 5) % 600;
        var y = (item * 17 + i * 11 + variant * 3) % 440;
        labels.Add(new Label(classes[(item + i + variant) % classes.Length], new RectangleGeometry(BoxD.FromXywh(x, y, 10 + i * 3, 20 + variant % 7))));
    }

    return new Annotation(640, 480, [], labels);
}

// 1,000 distinct random "images" of 60–100 kB, seeded; stored when a store is given.
static (ContentId Id, long Size)[] Images(CairnStore? store)
{
    var images = new (ContentId Id, long Size)[1000];
    var rnd = new Random(42);
    for (var i = 0; i < images.Length; i++)
    {
        var bytes = new byte[60_000 + rnd.Next(40_000)];
        rnd.NextBytes(bytes);
        images[i] = store is null ? (ContentId.Of(bytes), bytes.Length) : (store.Objects.Put(bytes).Id, bytes.Length);
    }

    return images;
}

static string Name(int i) => $"img_{i:D7}.jpg";

static string Dataset(int i) => i % 10 == 0 ? "val" : "train";

static int Setup(string home, int count)
{
    var clock = Stopwatch.StartNew();
    using var store = CairnStore.Open(home);
    var images = Images(store);

    var projects = new ProjectService(store);
    var items = Enumerable.Range(0, count).Select(i => new NewItem(Dataset(i), Name(i), images[i % images.Length].Id, images[i % images.Length].Size, Labels(i, 0)));
    projects.CreateWithItems("big", ProjectMeta.Empty, items, progress: new Progress<int>(n =>
    {
        if (n % 200_000 == 0)
        {
            Console.Error.WriteLine($"  {n} items");
        }
    }));
    var imported = clock.Elapsed;
    var p = projects.Find("big")!;
    clock.Restart();
    var v1 = new VersionService(store).Create(p.Id, "v1")!;
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        items = count,
        importSeconds = imported.TotalSeconds,
        firstVersionSeconds = clock.Elapsed.TotalSeconds,
        nodes = v1.NodesWritten,
        peakWorkingSetMb = Process.GetCurrentProcess().PeakWorkingSet64 >> 20,
    }));
    return 0;
}

static int Run(string home, string pattern)
{
    using var store = CairnStore.Open(home);
    var projects = new ProjectService(store);
    var versions = new VersionService(store);
    var p = projects.Find("big")!;
    var count = (int)versions.List(p.Id)[0].Items;
    var images = Images(null);
    var imageIds = images.Select(i => i.Id).ToHashSet();

    var sizeOne = Space(store, imageIds);
    var noChangeCpu = new List<double>();
    var noChange = MedianOf(5, () =>
    {
        var ms = Time(() => Check(!versions.Create(p.Id)!.Created));
        noChangeCpu.Add(CpuLog.Last);
        return ms;
    });

    // Ten versions, each 1% different from the one before (v1 exists; nine more).
    var rnd = new Random(7);
    var onePercent = new List<double>();
    for (var round = 1; round <= 9; round++)
    {
        var start = rnd.Next(count);
        var picks = pattern == "clustered"
            ? Enumerable.Range(start, count / 100).Select(i => i % count)
            : Enumerable.Range(0, count / 100).Select(_ => rnd.Next(count)).Distinct();
        Edit(store, p.Id, images, picks, round);
        onePercent.Add(Time(() => Check(versions.Create(p.Id, $"1% round {round}")!.Created)));
    }

    var sizeTen = Space(store, imageIds);

    // 1,000 changed items' labels: create, then diff of the two versions.
    var create1000 = new List<double>();
    var diff1000 = new List<double>();
    var create1000Cpu = new List<double>();
    var diff1000Cpu = new List<double>();
    for (var round = 0; round < 5; round++)
    {
        var before = versions.List(p.Id)[0];
        Edit(store, p.Id, images, Enumerable.Range(0, 1000).Select(_ => rnd.Next(count)).Distinct(), 100 + round);
        VersionSummary after = null!;
        create1000.Add(Time(() => after = versions.Create(p.Id, $"1000 labels {round}")!.Version));
        create1000Cpu.Add(CpuLog.Last);
        VersionDiff diff = null!;
        diff1000.Add(Time(() => diff = versions.Diff(before, after, "a", "b")));
        diff1000Cpu.Add(CpuLog.Last);
        Check(diff.Changed.Count is > 900 and <= 1000 && diff.Added.Count == 0);
    }

    var latest = versions.List(p.Id)[0];
    var restoreCpu = new List<double>();
    var restore = MedianOf(3, () =>
    {
        var ms = Time(() => Check(versions.Restore(latest, $"restored {Guid.NewGuid():N}") is { Items: > 0 }));
        restoreCpu.Add(CpuLog.Last);
        return ms;
    });
    var oldest = versions.List(p.Id)[^1];
    var restoreOldestCpu = new List<double>();
    var restoreOldest = MedianOf(3, () =>
    {
        var ms = Time(() => Check(versions.Restore(oldest, $"restored {Guid.NewGuid():N}") is { Items: > 0 }));
        restoreOldestCpu.Add(CpuLog.Last);
        return ms;
    });

    Console.WriteLine(JsonSerializer.Serialize(new
    {
        items = count,
        pattern,
        noChangeCreateMs = noChange,
        noChangeCreateCpuMs = Median(noChangeCpu),
        onePercentCreateMedianMs = Median(onePercent),
        create1000MedianMs = Median(create1000),
        create1000Runs = create1000,
        create1000CpuMedianMs = Median(create1000Cpu),
        diff1000MedianMs = Median(diff1000),
        diff1000CpuMedianMs = Median(diff1000Cpu),
        diff1000Runs = diff1000,
        restoreLatestMedianMs = restore,
        restoreLatestCpuMedianMs = Median(restoreCpu),
        restoreOldestMedianMs = restoreOldest,
        restoreOldestCpuMedianMs = Median(restoreOldestCpu),
        loadAverage = File.ReadAllText("/proc/loadavg").Split(' ')[0],
        sizeOneVersion = sizeOne,
        sizeTenVersions = sizeTen,
        ratioApparent = (double)sizeTen.Apparent / sizeOne.Apparent,
        ratioDisk = (double)sizeTen.Disk / sizeOne.Disk,
        peakWorkingSetMb = Process.GetCurrentProcess().PeakWorkingSet64 >> 20,
    }, new JsonSerializerOptions { WriteIndented = true }));
    return 0;
}

// The peer comparison's edit step: change `images` image files and `labels` items' first box, both in the data
// folder (for restic) and in the project's working state (through ItemWriter, as a re-import writes). Not timed.
static int EditFolder(string home, string projectName, string dataDir, int images, int labels)
{
    using var store = CairnStore.Open(home);
    var projects = new ProjectService(store);
    var p = projects.Find(projectName)!;
    var items = projects.StreamItems(p.Id).OrderBy(x => x.Item.Name, StringComparer.Ordinal).ToList();
    var annotationsPath = Path.Combine(dataDir, "annotations.json");
    var coco = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(annotationsPath))!;
    var imageIds = coco["images"]!.AsArray().ToDictionary(i => (string)i!["file_name"]!, i => (int)i!["id"]!);
    using var db = store.Catalog();
    using var tx = db.Database.BeginTransaction();
    var seq = ProjectService.BumpSeq(db, p.Id);
    using (var w = new ItemWriter(db, p.Id, seq))
    {
        foreach (var (dataset, item) in items.Take(images))
        {
            var file = Directory.EnumerateFiles(dataDir, item.Name, SearchOption.AllDirectories).First();
            File.AppendAllText(file, "cairn-bench-edit"); // bytes after the JPEG end marker: a new file, the same picture
            var put = store.Objects.PutFile(file);
            w.Write(new NewItem(dataset, item.Name, put.Id, put.Size, Cairn.Core.Serialization.AnnotationJson.Parse(item.AnnotationJson)));
        }

        var changed = new HashSet<int>();
        foreach (var (dataset, item) in items.Skip(images).Where(x => x.Item.LabelCount > 0).Take(labels))
        {
            var ann = Cairn.Core.Serialization.AnnotationJson.Parse(item.AnnotationJson);
            var first = ann.Labels[0];
            var box = ((RectangleGeometry)first.Geometry).Box;
            var moved = first with { Geometry = new RectangleGeometry(box with { Left = box.Left + 1, Right = box.Right + 1 }) };
            w.Write(new NewItem(dataset, item.Name, ContentId.FromBytes(item.ImageId), item.ImageSize, ann with { Labels = [moved, .. ann.Labels.Skip(1)] }));
            changed.Add(imageIds[item.Name]);
        }

        foreach (var a in coco["annotations"]!.AsArray())
        {
            if (changed.Remove((int)a!["image_id"]!))
            {
                a["bbox"]![0] = (double)a["bbox"]![0]! + 1;
            }
        }
    }

    tx.Commit();
    File.WriteAllText(annotationsPath, coco.ToJsonString());
    return 0;
}

static int ReadAllOnly(string home)
{
    using var store = CairnStore.Open(home);
    var versions = new VersionService(store);
    var latest = versions.List(new ProjectService(store).Find("big")!.Id)[0];
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    long n = 0;
    var ms = Time(() => n = versions.ReadAll(latest).LongCount());
    Console.WriteLine(JsonSerializer.Serialize(new { items = n, readAllMs = ms, cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds }));
    return 0;
}

static int RestoreOnly(string home)
{
    using var store = CairnStore.Open(home);
    var versions = new VersionService(store);
    var latest = versions.List(new ProjectService(store).Find("big")!.Id)[0];
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var runs = Enumerable.Range(0, 3).Select(_ => Time(() => Check(versions.Restore(latest, $"restored {Guid.NewGuid():N}") is { Items: > 0 }))).ToList();
    var cpuLatest = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / 3;

    // The oldest version: about 14% of its items differ from the working state the copy starts from.
    var oldest = versions.List(new ProjectService(store).Find("big")!.Id)[^1];
    cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var oldRuns = Enumerable.Range(0, 3).Select(_ => Time(() => Check(versions.Restore(oldest, $"restored {Guid.NewGuid():N}") is { Items: > 0 }))).ToList();
    var cpuOldest = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / 3;
    Console.WriteLine(JsonSerializer.Serialize(new { restoreLatestMedianMs = Median(runs), restoreLatestRuns = runs, cpuMsLatest = cpuLatest, restoreOldestMedianMs = Median(oldRuns), restoreOldestRuns = oldRuns, cpuMsOldest = cpuOldest, peakWorkingSetMb = Process.GetCurrentProcess().PeakWorkingSet64 >> 20 }));
    return 0;
}

static int Relabel(string home, int n, int seed)
{
    using var store = CairnStore.Open(home);
    var projects = new ProjectService(store);
    var p = projects.Find("big")!;
    var count = projects.List().Single(x => x.Project.Id == p.Id).Items;
    var rnd = new Random(seed);
    Edit(store, p.Id, Images(null), Enumerable.Range(0, n).Select(_ => rnd.Next(count)).Distinct(), 1000 + seed);
    return 0;
}

static void Edit(CairnStore store, long projectId, (ContentId Id, long Size)[] images, IEnumerable<int> picks, int variant)
{
    // The bulk edit path a re-import takes: one transaction, one change-counter bump, upserts through ItemWriter.
    using var db = store.Catalog();
    using var tx = db.Database.BeginTransaction();
    var seq = ProjectService.BumpSeq(db, projectId);
    using (var w = new ItemWriter(db, projectId, seq))
    {
        foreach (var i in picks)
        {
            // A label edit keeps the item's image (the setup's deterministic assignment).
            var image = images[i % images.Length];
            w.Write(new NewItem(Dataset(i), Name(i), image.Id, image.Size, Labels(i, variant)));
        }
    }

    tx.Commit();
}

static Space Space(CairnStore store, HashSet<ContentId> images)
{
    using (var db = store.Catalog())
    {
        db.Database.ExecuteSqlRaw("PRAGMA wal_checkpoint(TRUNCATE);");
    }

    long apparent = 0, disk = 0, catalog = 0, snapshots = 0;
    foreach (var f in new DirectoryInfo(store.Home).EnumerateFiles("catalog.db*"))
    {
        catalog += f.Length;
    }

    foreach (var o in store.Objects.ListAsync().ToBlockingEnumerable())
    {
        if (!images.Contains(o.Id))
        {
            snapshots += o.Size;
            disk += (o.Size + 4095) / 4096 * 4096;
        }
    }

    apparent = catalog + snapshots;
    disk += (catalog + 4095) / 4096 * 4096;
    return new Space(catalog, snapshots, apparent, disk);
}

static double Time(Action a)
{
    // Wall time; the process CPU time of the same call goes to CpuLog.Last (the machine is shared, so both are reported).
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    a();
    CpuLog.Last = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds, 1);
    return Math.Round(sw.Elapsed.TotalMilliseconds, 1);
}

static double Median(IEnumerable<double> xs)
{
    var s = xs.Order().ToArray();
    return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
}

static double MedianOf(int n, Func<double> f) => Median(Enumerable.Range(0, n).Select(_ => f()).ToList());

static void Check(bool ok)
{
    if (!ok)
    {
        throw new InvalidOperationException("benchmark self-check failed");
    }
}

/// <summary>Process CPU milliseconds of the last timed call.</summary>
internal static class CpuLog
{
    public static double Last { get; set; }
}

/// <summary>Bytes of the catalog and of snapshot objects (everything in the object store except the project's images).</summary>
internal sealed record Space(long Catalog, long Snapshots, long Apparent, long Disk);
