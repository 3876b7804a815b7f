using System.Diagnostics;
using Cairn.Core.Ids;
using Cairn.Storage.Catalog;
using Cairn.Storage.Snapshots;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Storage.Versions;

/// <summary>Restores a version as a new project that shares the version's objects.</summary>
public sealed class VersionRestorer(CairnStore store)
{
    /// <summary>
    /// Restores a version as a new project (default name "&lt;project&gt; v&lt;N&gt;") whose items point at the version's
    /// objects (no image bytes copied), records where it came from, and takes the restored tree as its version 1.
    /// When the source project still exists, its rows are copied inside the database and only the difference between
    /// its working state and the version is written, so the cost beyond the copy follows the change.
    /// The new project's version 1 is authored by <paramref name="restoredBy"/> (who restored it), else by the source version's author.
    /// Null when a project of that name exists.
    /// </summary>
    public RestoreResult? Restore(VersionSummary version, string? name = null, IProgress<long>? progress = null, CancellationToken ct = default, string? restoredBy = null)
    {
        var clock = Stopwatch.StartNew();
        var nodes = new SnapshotObjects(store.Objects);
        var tree = new DatasetTree(nodes, store.DeltaMinItems);
        var root = nodes.ReadRoot(version.RootId);
        var working = WorkingTree.Build(store, version.ProjectId, ct);
        var workingRoot = working?.RootId;

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
            Description = restoredBy is null || restoredBy == version.Author
                ? version.Title
                : $"{version.Title} (version {version.Number} by {version.Author ?? "unknown"}, restored by {restoredBy})".TrimStart(),
            Author = restoredBy ?? version.Author,
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
}
