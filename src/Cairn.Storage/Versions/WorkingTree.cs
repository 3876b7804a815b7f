using System.Text;
using Cairn.Core.Ids;
using Cairn.Storage.Snapshots;

namespace Cairn.Storage.Versions;

/// <summary>
/// The snapshot tree of a project's working state: patched from the latest version (cost follows the change since it),
/// or that version's own root when nothing changed. Nodes are written and committed before anyone can name them.
/// Stats are empty when <c>Unchanged</c>: they are the base version's.
/// </summary>
internal sealed record WorkingTree(bool Unchanged, long? BaseVersionId, long ChangeSeq, ContentId RootId, VersionStats Stats, long NewBytes, int NodesWritten)
{
    /// <summary>Builds (or finds unchanged) the tree of a project's working state; null when the project does not exist.</summary>
    public static WorkingTree? Build(CairnStore store, long projectId, CancellationToken ct)
    {
        using var conn = store.OpenConnection();
        using var reader = new WorkingStateReader(conn);
        var project = reader.Project(projectId);
        if (project is null)
        {
            return null;
        }

        var (seq, metaJson, _) = project.Value;
        var latest = reader.LatestVersion(projectId);
        if (latest is { } l && l.ChangeSeq == seq)
        {
            return new WorkingTree(true, l.Id, seq, ContentId.FromBytes(l.RootId), VersionStats.Empty, 0, 0);
        }

        // Nodes are batched (a pack past a few dozen) and committed below, before any version row can name them.
        using var nodes = new SnapshotObjects(store.Objects, batch: true);
        var tree = new DatasetTree(nodes, store.DeltaMinItems);
        var datasets = reader.Datasets(projectId);
        var refs = new List<DatasetRef>();
        VersionChanges? summary = null; // counted when patching from the previous version
        StatsBuilder stats;
        if (latest is null)
        {
            stats = new StatsBuilder();
            foreach (var (id, path) in datasets.OrderBy(d => d.Value, StringComparer.Ordinal))
            {
                ct.ThrowIfCancellationRequested();
                refs.Add(tree.Build(path, reader.DatasetItems(projectId, id).Select(e =>
                {
                    stats.Add(e);
                    return e;
                })));
            }
        }
        else
        {
            var old = nodes.ReadRoot(ContentId.FromBytes(latest.Value.RootId));
            stats = new StatsBuilder(VersionStats.Parse(latest.Value.StatsJson));
            var changes = new Dictionary<string, SortedDictionary<byte[], ItemEntry?>>(StringComparer.Ordinal);
            SortedDictionary<byte[], ItemEntry?> For(string path)
            {
                if (!changes.TryGetValue(path, out var c))
                {
                    changes[path] = c = new SortedDictionary<byte[], ItemEntry?>(ByteKeyComparer.Instance);
                }

                return c;
            }

            foreach (var (path, name) in reader.Removed(projectId, latest.Value.ChangeSeq))
            {
                For(path)[Encoding.UTF8.GetBytes(name)] = null;
            }

            foreach (var (datasetId, entry) in reader.ChangedItems(projectId, latest.Value.ChangeSeq))
            {
                For(datasets[datasetId])[entry.Key] = entry;
            }

            long added = 0, removed = 0, changedItems = 0;
            var oldByPath = old.Datasets.ToDictionary(d => d.Path, StringComparer.Ordinal);
            foreach (var path in datasets.Values.Order(StringComparer.Ordinal))
            {
                ct.ThrowIfCancellationRequested();
                var list = changes.TryGetValue(path, out var c) ? c.ToList() : [];
                if (oldByPath.Remove(path, out var before))
                {
                    refs.Add(tree.Patch(before, list, (b, a) =>
                    {
                        if (b is null)
                        {
                            added++;
                        }
                        else if (a is null)
                        {
                            removed++;
                        }
                        else if (!b.SameContent(a))
                        {
                            changedItems++;
                        }

                        if (b is not null)
                        {
                            stats.Remove(b);
                        }

                        if (a is not null)
                        {
                            stats.Add(a);
                        }
                    }));
                }
                else
                {
                    var items = list.Where(kv => kv.Value is not null).Select(kv => kv.Value!).ToList();
                    foreach (var e in items)
                    {
                        stats.Add(e);
                    }

                    added += items.Count;

                    refs.Add(tree.Build(path, items));
                }
            }

            // Datasets that no longer exist: their items leave the statistics.
            foreach (var gone in oldByPath.Values)
            {
                foreach (var e in tree.Items(gone))
                {
                    stats.Remove(e);
                    removed++;
                }
            }

            summary = new VersionChanges(added, removed, changedItems, old.MetaJson != metaJson);
        }

        var rootId = nodes.Write(NodeCodec.EncodeRoot(new RootNode(metaJson, refs)));
        nodes.Commit();
        return new WorkingTree(false, latest?.Id, seq, rootId, stats.Build(refs) with { Changes = summary }, nodes.NewBytes, nodes.WrittenNodes);
    }
}
