// A child process for the crash-consistency test: it imports projects, edits labels, removes items, takes
// versions and collects garbage in an endless seeded loop, until the test kills it with SIGKILL. With a third
// argument, large-packs, every pack it imports carries one 17 MiB object: on S3 the pack then goes up in parts.
using Cairn.Core.Model;
using Cairn.Storage;
using Cairn.Storage.Maintenance;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Cairn.Storage.CrashHost <home> <seed> [large-packs]");
    return 2;
}

var largePacks = args.Length > 2 && args[2] == "large-packs";
var rnd = new Random(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
using var store = CairnStore.Open(args[0]);

// Every other run versions its (small) datasets as deltas over trees, so kills land in delta writes and folds too.
store.DeltaMinItems = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0 ? 10 : int.MaxValue;
var projects = new ProjectService(store);
var versions = new VersionService(store);
Console.Out.WriteLine("ready");
Console.Out.Flush();

string[] classes = ["car", "person", "dog", "bus"];
Annotation Random(Random r)
{
    var labels = new List<Label>();
    for (var i = r.Next(0, 5); i > 0; i--)
    {
        labels.Add(new Label(classes[r.Next(classes.Length)], new RectangleGeometry(BoxD.FromXywh(r.Next(100), r.Next(100), 1 + r.Next(50), 1 + r.Next(50)))));
    }

    return new Annotation(320, 240, [], labels);
}

for (var step = 0; ; step++)
{
    var list = projects.List();
    var op = list.Count == 0 ? 0 : rnd.Next(10);
    if (op == 0)
    {
        // Import: images into the object store first, then the project in one transaction.
        // Half the imports write a pack (as the importer does), half loose objects.
        var items = new List<NewItem>();
        using var pack = rnd.Next(2) == 0 ? store.Objects.BeginPack() : null;
        for (var i = 0; i < 40; i++)
        {
            // One object over the multipart threshold (S3ObjectStore.MultipartThreshold) makes the pack go up in parts.
            var bytes = new byte[largePacks && pack is not null && i == 0 ? (17 << 20) : 2048 + rnd.Next(4096)];
            rnd.NextBytes(bytes);
            var put = pack is null ? store.Objects.Put(bytes) : pack.Add(bytes);
            items.Add(new NewItem(i % 3 == 0 ? "val" : "train", $"img_{i:D3}.jpg", put.Id, put.Size, Random(rnd)));
        }

        pack?.Commit();

        projects.CreateWithItems($"p{Guid.NewGuid():N}"[..10], ProjectMeta.Empty, items);
        continue;
    }

    var p = list[rnd.Next(list.Count)].Project;
    if (op <= 4)
    {
        foreach (var item in projects.Items(p.Id, take: 100).Where(_ => rnd.Next(8) == 0))
        {
            projects.UpdateAnnotation(item.Id, Random(rnd));
        }
    }
    else if (op == 5)
    {
        var items = projects.Items(p.Id, take: 100);
        if (items.Count > 5)
        {
            projects.RemoveItem(items[rnd.Next(items.Count)].Id);
        }
    }
    else if (op <= 8)
    {
        versions.Create(p.Id, $"step {step}");
    }
    else
    {
        new GarbageCollector(store).Run(new GcOptions { Grace = TimeSpan.Zero });
    }
}
