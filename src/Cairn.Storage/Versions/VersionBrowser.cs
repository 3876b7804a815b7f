using Cairn.Core.Ids;
using Cairn.Storage.Catalog;
using Cairn.Storage.Projects;
using Cairn.Storage.Snapshots;

namespace Cairn.Storage.Versions;

/// <summary>Reads versions: a project's list, one version, and the items and meta a version holds.</summary>
public sealed class VersionBrowser(CairnStore store)
{
    /// <summary>A project's versions, newest first.</summary>
    public IReadOnlyList<VersionSummary> List(long projectId)
    {
        using var conn = store.OpenConnection();
        return Sql.Many(conn, null, r => VersionSummary.From(Sql.ReadVersion(r)), $"SELECT {Sql.VersionColumns} FROM versions WHERE ProjectId = @p ORDER BY Number DESC", ("@p", projectId));
    }

    /// <summary>A version by id.</summary>
    public VersionSummary? Get(long versionId)
    {
        using var conn = store.OpenConnection();
        var v = Sql.One(conn, null, Sql.ReadVersion, $"SELECT {Sql.VersionColumns} FROM versions WHERE Id = @id", ("@id", versionId));
        return v is null ? null : VersionSummary.From(v);
    }

    /// <summary>A version by project and number.</summary>
    public VersionSummary? Get(long projectId, int number)
    {
        using var conn = store.OpenConnection();
        var v = Sql.One(conn, null, Sql.ReadVersion, $"SELECT {Sql.VersionColumns} FROM versions WHERE ProjectId = @p AND Number = @n", ("@p", projectId), ("@n", number));
        return v is null ? null : VersionSummary.From(v);
    }

    /// <summary>A page of a version's items (all datasets in path order, or one dataset), with annotations.</summary>
    public VersionPage Browse(VersionSummary version, string? dataset = null, long skip = 0, int take = 100)
    {
        var nodes = new SnapshotObjects(store.Objects);
        var tree = new DatasetTree(nodes, store.DeltaMinItems);
        var root = nodes.ReadRoot(version.RootId);
        var datasets = dataset is null ? root.Datasets : root.Datasets.Where(d => d.Path == dataset).ToList();
        var total = datasets.Sum(d => d.Items);
        var items = new List<VersionItem>();
        var s = Math.Max(0, skip);
        foreach (var d in datasets)
        {
            if (items.Count >= take)
            {
                break;
            }

            if (s >= d.Items)
            {
                s -= d.Items;
                continue;
            }

            items.AddRange(tree.Page(d, s, take - items.Count).Select(e => VersionItem.From(d.Path, e)));
            s = 0;
        }

        return new VersionPage(total, skip, items);
    }

    /// <summary>
    /// A page of the version's items that match a query, each with its position in the whole version (the address of
    /// its item page), and how many match. A version lives in the object store, not the catalog, so this reads the
    /// snapshot through; without conditions it pages directly.
    /// </summary>
    public VersionMatches Find(VersionSummary version, ItemQuery query, long skip = 0, int take = 100)
    {
        ArgumentNullException.ThrowIfNull(query);
        skip = Math.Max(0, skip);
        if (query.IsEmpty)
        {
            var page = Browse(version, null, skip, take);
            return new VersionMatches(page.Total, [.. page.Items.Select((item, k) => new IndexedVersionItem(skip + k, item))]);
        }

        var items = new List<IndexedVersionItem>();
        long total = 0;
        long index = 0;
        var needsAnnotation = query.Classes.Count > 0 || query.Tags.Count > 0;
        foreach (var item in ReadAll(version))
        {
            var annotation = needsAnnotation ? item.ParseAnnotation() : EmptyAnnotation;
            if (query.Matches(item.Dataset, item.Name, item.Width, item.Height, item.LabelCount, annotation))
            {
                if (total >= skip && items.Count < take)
                {
                    items.Add(new IndexedVersionItem(index, item));
                }

                total++;
            }

            index++;
        }

        return new VersionMatches(total, items);
    }

    private static readonly Cairn.Core.Model.Annotation EmptyAnnotation = new(0, 0, [], []);

    /// <summary>
    /// One item of a snapshot (a version's root, or a working snapshot's) by dataset path and name, or null: the delta
    /// laid over the dataset is asked first, then the tree, reading only the pages on the way to its key.
    /// </summary>
    public VersionItem? Find(ContentId root, string dataset, string name)
    {
        var nodes = new SnapshotObjects(store.Objects);
        var d = nodes.ReadRoot(root).Datasets.FirstOrDefault(x => x.Path == dataset);
        if (d is null)
        {
            return null;
        }

        var tree = new DatasetTree(nodes, store.DeltaMinItems);
        var key = System.Text.Encoding.UTF8.GetBytes(name);
        if (d.DeltaId is { } delta)
        {
            foreach (var (k, e) in tree.Overlay(delta))
            {
                if (k.AsSpan().SequenceEqual(key))
                {
                    return e is null ? null : VersionItem.From(d.Path, e);
                }
            }
        }

        return tree.Lookup(d.TreeId, [key]).TryGetValue(key, out var found) ? VersionItem.From(d.Path, found) : null;
    }

    /// <summary>The project meta (canonical JSON) a version holds.</summary>
    public string MetaJson(VersionSummary version) => new SnapshotObjects(store.Objects).ReadRoot(version.RootId).MetaJson;

    /// <summary>Every item of a version, datasets in path order and items in name order, streamed: the source of <c>export project@N</c>.</summary>
    public IEnumerable<VersionItem> ReadAll(VersionSummary version)
    {
        var nodes = new SnapshotObjects(store.Objects);
        var tree = new DatasetTree(nodes, store.DeltaMinItems);
        foreach (var d in nodes.ReadRoot(version.RootId).Datasets)
        {
            foreach (var e in tree.Items(d))
            {
                yield return VersionItem.From(d.Path, e);
            }
        }
    }
}
