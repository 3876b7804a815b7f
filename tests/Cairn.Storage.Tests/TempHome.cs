using Cairn.Core.Ids;
using Cairn.Core.Model;
using Cairn.Storage.Projects;

namespace Cairn.Storage.Tests;

/// <summary>A Cairn home in a fresh temporary folder, removed on dispose, with builders for test projects.</summary>
public sealed class TempHome : IDisposable
{
    /// <summary>A home with its own SQLite catalog, or with <paramref name="postgres"/> a fresh database on the test PostgreSQL server.</summary>
    public TempHome(bool postgres = false)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cairn-test-" + Guid.NewGuid().ToString("N"));
        Catalog = postgres ? Cairn.TestSupport.PostgresServer.CreateDatabase() : null;
        Store = CairnStore.Open(Path, catalog: Catalog);
        Projects = new ProjectService(Store);
    }

    /// <summary>The PostgreSQL catalog's connection string (null: SQLite).</summary>
    public string? Catalog { get; }

    public string Path { get; }

    public CairnStore Store { get; }

    /// <summary>The home's objects folder (these homes are never on S3).</summary>
    public Cairn.Storage.Objects.LocalObjectStore Local => (Cairn.Storage.Objects.LocalObjectStore)Store.Objects;

    public ProjectService Projects { get; }

    /// <summary>An annotation with <paramref name="boxes"/> rectangles of the given classes (cycled).</summary>
    public static Annotation Boxes(int boxes, params string[] classes)
    {
        var labels = new List<Label>();
        for (var i = 0; i < boxes; i++)
        {
            labels.Add(new Label(classes[i % classes.Length], new RectangleGeometry(BoxD.FromXywh(i, i * 2, 10 + i, 20))));
        }

        return new Annotation(640, 480, [], labels);
    }

    /// <summary>Stores a small image-like blob derived from <paramref name="seed"/> and returns its id and size.</summary>
    public (ContentId Id, long Size) Image(int seed)
    {
        var bytes = new byte[256 + seed % 97];
        new Random(seed).NextBytes(bytes);
        var r = Store.Objects.Put(bytes);
        return (r.Id, r.Size);
    }

    /// <summary>A project with <paramref name="count"/> items img_0000.jpg… in datasets train and val, seeded.</summary>
    public long Project(string name, int count, int seed = 1)
    {
        var rnd = new Random(seed);
        var items = new List<NewItem>();
        for (var i = 0; i < count; i++)
        {
            var (id, size) = Image(seed * 100_000 + i);
            items.Add(new NewItem(i % 4 == 0 ? "val" : "train", $"img_{i:D4}.jpg", id, size, Boxes(rnd.Next(0, 4), "car", "person", "dog")));
        }

        return Projects.CreateWithItems(name, new ProjectMeta([], []), items)!.Id;
    }

    public void Dispose()
    {
        Store.Dispose();
        if (Catalog is not null)
        {
            Cairn.TestSupport.PostgresServer.DropDatabase(Catalog);
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
