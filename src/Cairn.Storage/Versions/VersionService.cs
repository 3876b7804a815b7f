using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cairn.Core.Ids;
using Cairn.Storage.Catalog;
using Cairn.Storage.Snapshots;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Storage.Versions;

/// <summary>
/// Versions of projects: create (cost follows the change since the last version), list, show, diff, browse,
/// export and restore. Snapshot nodes are written before the catalog row that references them, so a version row
/// is visible only when its whole tree exists.
/// </summary>
public sealed class VersionService(CairnStore store)
{
    private const int MaxAttempts = 20;

    /// <summary>The store this service works on.</summary>
    public CairnStore Store => store;

    /// <summary>
    /// Makes version N+1 of a project, or returns version N unchanged when the working state has not changed since it.
    /// Null when the project does not exist. Safe to call concurrently: racing creates yield distinct numbers or one version.
    /// </summary>
    public CreateVersionResult? Create(long projectId, string? title = null, string? description = null, string? author = null, long? createdByTaskId = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var built = BuildWorkingTree(projectId, ct);
            if (built is null)
            {
                return null;
            }

            if (built.Unchanged)
            {
                return new CreateVersionResult(Get(built.BaseVersionId!.Value)!, false, 0, clock.ElapsedMilliseconds);
            }

            // Plain SQL (see Sql): the version row is the only catalog write, and EF's start-up would dominate a CLI create.
            using var conn = store.OpenConnection();
            using var tx = conn.BeginTransaction();
            var latest = Sql.One(conn, tx, Sql.ReadVersion, $"SELECT {Sql.VersionColumns} FROM versions WHERE ProjectId = @p ORDER BY Number DESC LIMIT 1", ("@p", projectId));
            if (latest?.Id != built.BaseVersionId)
            {
                if (latest is not null && latest.ChangeSeq == built.ChangeSeq)
                {
                    // A concurrent create took the same state first: that is the version.
                    return new CreateVersionResult(VersionSummary.From(latest), false, built.NodesWritten, clock.ElapsedMilliseconds);
                }

                if (attempt >= MaxAttempts)
                {
                    throw new InvalidOperationException($"Project {projectId}: version create lost the race {attempt} times in a row; try again.");
                }

                continue;
            }

            var row = new VersionRow
            {
                ProjectId = projectId,
                Number = (latest?.Number ?? 0) + 1,
                Title = title,
                Description = description,
                Author = author,
                CreatedAt = store.UtcNow,
                RootId = built.RootId.Bytes.ToArray(),
                ChangeSeq = built.ChangeSeq,
                ItemCount = built.Stats.Items,
                LabelCount = built.Stats.Labels,
                TotalBytes = built.Stats.TotalBytes,
                NewBytes = built.NewBytes,
                StatsJson = built.Stats.ToJson(),
                CreatedByTaskId = createdByTaskId,
            };
            try
            {
                row.Id = Convert.ToInt64(
                    Sql.Scalar(
                        conn,
                        tx,
                        "INSERT INTO versions (ProjectId, Number, Title, Description, Author, CreatedAt, RootId, ChangeSeq, ItemCount, LabelCount, TotalBytes, NewBytes, StatsJson, CreatedByTaskId) " +
                        "VALUES (@p, @n, @t, @d, @a, @c, @r, @s, @ic, @lc, @tb, @nb, @j, @task) RETURNING Id",
                        ("@p", row.ProjectId),
                        ("@n", row.Number),
                        ("@t", row.Title),
                        ("@d", row.Description),
                        ("@a", row.Author),
                        ("@c", row.CreatedAt),
                        ("@r", row.RootId),
                        ("@s", row.ChangeSeq),
                        ("@ic", row.ItemCount),
                        ("@lc", row.LabelCount),
                        ("@tb", row.TotalBytes),
                        ("@nb", row.NewBytes),
                        ("@j", row.StatsJson),
                        ("@task", row.CreatedByTaskId)),
                    CultureInfo.InvariantCulture);
                tx.Commit();
            }
            catch (DbException) when (attempt < MaxAttempts)
            {
                // Another process inserted this number between our read and write (PostgreSQL); build again on top of it.
                continue;
            }

            return new CreateVersionResult(VersionSummary.From(row), true, built.NodesWritten, clock.ElapsedMilliseconds);
        }
    }

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

    /// <summary>
    /// The snapshot of a project's working state now: the latest version's root when nothing changed since it,
    /// otherwise a tree patched from it (its nodes are written; <c>gc</c> reclaims them if no version keeps them).
    /// </summary>
    public (ContentId RootId, VersionStats Stats)? WorkingSnapshot(long projectId, CancellationToken ct = default)
    {
        var built = BuildWorkingTree(projectId, ct);
        if (built is null)
        {
            return null;
        }

        if (built.Unchanged)
        {
            var v = Get(built.BaseVersionId!.Value)!;
            return (v.RootId, v.Stats);
        }

        return (built.RootId, built.Stats);
    }

    /// <summary>Compares two versions.</summary>
    public VersionDiff Diff(VersionSummary a, VersionSummary b, string fromLabel, string toLabel) =>
        Diff(a.RootId, a.Stats, b.RootId, b.Stats, fromLabel, toLabel);

    /// <summary>
    /// Compares two snapshots by root id: datasets with equal tree ids are skipped, and inside a dataset only the
    /// leaves the trees do not share are read, so the cost follows the size of the change.
    /// </summary>
    public VersionDiff Diff(ContentId rootA, VersionStats statsA, ContentId rootB, VersionStats statsB, string fromLabel, string toLabel)
    {
        var added = new List<DiffItem>();
        var removed = new List<DiffItem>();
        var changed = new List<ChangedItem>();
        var meta = false;
        if (rootA != rootB)
        {
            var nodes = new SnapshotObjects(store.Objects);
            var tree = new DatasetTree(nodes, store.DeltaMinItems);
            var ra = nodes.ReadRoot(rootA);
            var rb = nodes.ReadRoot(rootB);
            meta = ra.MetaJson != rb.MetaJson;
            var da = ra.Datasets.ToDictionary(d => d.Path, StringComparer.Ordinal);
            var db = rb.Datasets.ToDictionary(d => d.Path, StringComparer.Ordinal);
            foreach (var path in da.Keys.Union(db.Keys).Order(StringComparer.Ordinal))
            {
                var hasA = da.TryGetValue(path, out var a);
                var hasB = db.TryGetValue(path, out var b);
                if (hasA && hasB && a!.SameNodes(b!))
                {
                    continue;
                }

                IEnumerable<ItemEntry> left = [], right = [];
                if (hasA && hasB)
                {
                    (left, right) = tree.Differences(a!, b!);
                }
                else if (hasA)
                {
                    left = tree.Items(a!);
                }
                else
                {
                    right = tree.Items(b!);
                }

                CompareSorted(path, left, right, added, removed, changed);
            }
        }

        var classes = statsA.Classes.Keys.Union(statsB.Classes.Keys).Order(StringComparer.Ordinal)
            .Select(c =>
            {
                var x = statsA.Classes.GetValueOrDefault(c);
                var y = statsB.Classes.GetValueOrDefault(c);
                return new ClassDelta(c, x.Labels, y.Labels, x.Images, y.Images);
            }).ToList();
        return new VersionDiff(fromLabel, toLabel, meta, added, removed, changed, classes);
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

    /// <summary>
    /// Restores a version as a new project (default name "&lt;project&gt; v&lt;N&gt;") whose items point at the version's
    /// objects (no image bytes copied), records where it came from, and takes the restored tree as its version 1.
    /// When the source project still exists, its rows are copied inside the database and only the difference between
    /// its working state and the version is written, so the cost beyond the copy follows the change.
    /// Null when a project of that name exists.
    /// </summary>
    public RestoreResult? Restore(VersionSummary version, string? name = null, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var nodes = new SnapshotObjects(store.Objects);
        var tree = new DatasetTree(nodes, store.DeltaMinItems);
        var root = nodes.ReadRoot(version.RootId);
        var working = BuildWorkingTree(version.ProjectId, ct);
        var workingRoot = working is null ? (ContentId?)null : working.Unchanged ? Get(working.BaseVersionId!.Value)!.RootId : working.RootId;

        using var db = store.Catalog();
        using var tx = db.Database.BeginTransaction();
        var source = db.Projects.AsNoTracking().FirstOrDefault(p => p.Id == version.ProjectId);
        var workspace = source?.WorkspaceId ?? db.Workspaces.AsNoTracking().OrderBy(w => w.Id).Select(w => w.Id).First();
        var sourceName = source?.Name ?? $"project {version.ProjectId}";
        name ??= $"{sourceName} v{version.Number}";
        if (db.Projects.Any(p => p.WorkspaceId == workspace && p.Name == name))
        {
            return null;
        }

        if (source is null || working is null || source.ChangeSeq != working.ChangeSeq)
        {
            // No source rows to copy, or they changed after the working tree was read (this transaction holds the write lock now).
            workingRoot = null;
        }

        var now = store.UtcNow;
        var project = new ProjectRow
        {
            WorkspaceId = workspace,
            Name = name,
            Description = $"{name}, from version {version.Number} of {sourceName}",
            MetaJson = root.MetaJson,
            ChangeSeq = 1,
            OriginVersionId = version.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Projects.Add(project);
        db.SaveChanges();
        var datasets = root.Datasets.Select(d => new DatasetRow { ProjectId = project.Id, Path = d.Path }).ToList();
        db.Datasets.AddRange(datasets);
        db.SaveChanges();

        var sourceDatasets = source is null ? [] : db.Datasets.AsNoTracking().Where(d => d.ProjectId == source.Id).ToDictionary(d => d.Path, d => d.Id, StringComparer.Ordinal);
        var workingDatasets = workingRoot is { } w ? nodes.ReadRoot(w).Datasets.ToDictionary(d => d.Path, StringComparer.Ordinal) : [];
        var full = new List<(long DatasetId, DatasetRef Tree)>();
        using (var insert = new RawItemInsert(db, project.Id, project.ChangeSeq))
        {
            for (var i = 0; i < datasets.Count; i++)
            {
                var wanted = root.Datasets[i];
                if (!workingDatasets.TryGetValue(wanted.Path, out var have) || !sourceDatasets.TryGetValue(wanted.Path, out var sourceDataset))
                {
                    full.Add((datasets[i].Id, wanted));
                    continue;
                }

                insert.CopyDataset(source!.Id, sourceDataset, datasets[i].Id);
                if (!have.SameNodes(wanted))
                {
                    var (extra, missing) = tree.Differences(have, wanted);
                    PatchRows(insert, datasets[i].Id, extra, missing);
                }

                progress?.Report(wanted.Items);
            }

            InsertAll(insert, nodes, tree, full, progress, ct);
        }

        var first = new VersionRow
        {
            ProjectId = project.Id,
            Number = 1,
            Title = $"Restored from {sourceName}@{version.Number}",
            Description = version.Title,
            Author = version.Author,
            CreatedAt = now,
            RootId = version.RootId.Bytes.ToArray(),
            ChangeSeq = project.ChangeSeq,
            ItemCount = version.Items,
            LabelCount = version.Labels,
            TotalBytes = version.TotalBytes,
            NewBytes = 0,
            StatsJson = (version.Stats with { Changes = null }).ToJson(), // a first version: nothing before it here
        };
        db.Versions.Add(first);
        db.SaveChanges();
        tx.Commit();
        progress?.Report(version.Items);
        return new RestoreResult(project.Id, project.Name, VersionSummary.From(first), version.Items, clock.ElapsedMilliseconds);
    }

    /// <summary>Turns copied rows (the source's working state) into the version's: removes what the version lacks, upserts what differs.</summary>
    private static void PatchRows(RawItemInsert insert, long datasetId, IEnumerable<ItemEntry> have, IEnumerable<ItemEntry> wanted)
    {
        using var h = have.GetEnumerator();
        using var w = wanted.GetEnumerator();
        var hasH = h.MoveNext();
        var hasW = w.MoveNext();
        while (hasH || hasW)
        {
            var cmp = !hasH ? 1 : !hasW ? -1 : h.Current.Key.AsSpan().SequenceCompareTo(w.Current.Key);
            if (cmp < 0)
            {
                insert.Delete(datasetId, h.Current.Name);
                hasH = h.MoveNext();
            }
            else
            {
                if (cmp > 0 || !h.Current.SameContent(w.Current) || h.Current.ImageSize != w.Current.ImageSize)
                {
                    insert.Write(datasetId, w.Current);
                }

                if (cmp == 0)
                {
                    hasH = h.MoveNext();
                }

                hasW = w.MoveNext();
            }
        }
    }

    /// <summary>Inserts whole trees; leaves are decoded on another thread while this one inserts (the two cost about the same).</summary>
    private static void InsertAll(RawItemInsert insert, SnapshotObjects nodes, DatasetTree tree, List<(long DatasetId, DatasetRef Tree)> trees, IProgress<long>? progress, CancellationToken ct)
    {
        if (trees.Count == 0)
        {
            return;
        }

        long count = 0;
        using var pages = new System.Collections.Concurrent.BlockingCollection<(long DatasetId, ItemEntry[] Items)>(boundedCapacity: 256);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(
            () =>
            {
                try
                {
                    foreach (var (datasetId, dataset) in trees)
                    {
                        if (dataset.DeltaId is null)
                        {
                            foreach (var leaf in tree.LeafRefs(dataset.TreeId))
                            {
                                pages.Add((datasetId, nodes.ReadLeaf(leaf.Id)), stop.Token);
                            }

                            continue;
                        }

                        // A delta laid over the tree: the merged stream, in pages of the same order of size.
                        foreach (var chunk in tree.Items(dataset).Chunk(SnapshotFormat.LeafMaxEntries))
                        {
                            pages.Add((datasetId, chunk), stop.Token);
                        }
                    }
                }
                finally
                {
                    pages.CompleteAdding();
                }
            },
            stop.Token);
        try
        {
            foreach (var (datasetId, items) in pages.GetConsumingEnumerable(stop.Token))
            {
                foreach (var e in items)
                {
                    insert.WriteNew(datasetId, e);
                }

                count += items.Length;
                if ((count & 0xFFFF) < items.Length)
                {
                    progress?.Report(count);
                }
            }
        }
        catch
        {
            stop.Cancel();
            throw;
        }
        finally
        {
            // Surfaces a read error (corrupt or missing leaf) from the producer.
            try
            {
                producer.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        insert.Finish(); // every page read and written: end a COPY before the version row goes in
    }

    private static void CompareSorted(string path, IEnumerable<ItemEntry> left, IEnumerable<ItemEntry> right, List<DiffItem> added, List<DiffItem> removed, List<ChangedItem> changed)
    {
        using var l = left.GetEnumerator();
        using var r = right.GetEnumerator();
        var hasL = l.MoveNext();
        var hasR = r.MoveNext();
        while (hasL || hasR)
        {
            var cmp = !hasL ? 1 : !hasR ? -1 : l.Current.Key.AsSpan().SequenceCompareTo(r.Current.Key);
            if (cmp < 0)
            {
                removed.Add(new DiffItem(path, l.Current.Name, l.Current.ImageId.ToString(), l.Current.LabelCount));
                hasL = l.MoveNext();
            }
            else if (cmp > 0)
            {
                added.Add(new DiffItem(path, r.Current.Name, r.Current.ImageId.ToString(), r.Current.LabelCount));
                hasR = r.MoveNext();
            }
            else
            {
                var a = l.Current;
                var b = r.Current;
                if (!a.SameContent(b))
                {
                    changed.Add(new ChangedItem(path, a.Name, a.ImageId != b.ImageId, a.AnnotationId != b.AnnotationId, a.LabelCount, b.LabelCount));
                }

                hasL = l.MoveNext();
                hasR = r.MoveNext();
            }
        }
    }

    private BuiltTree? BuildWorkingTree(long projectId, CancellationToken ct)
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
            return new BuiltTree(true, l.Id, seq, default, VersionStats.Empty, 0, 0);
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
        return new BuiltTree(false, latest?.Id, seq, rootId, stats.Build(refs) with { Changes = summary }, nodes.NewBytes, nodes.WrittenNodes);
    }

    private sealed record BuiltTree(bool Unchanged, long? BaseVersionId, long ChangeSeq, ContentId RootId, VersionStats Stats, long NewBytes, int NodesWritten);
}
