using System.Collections.Concurrent;
using System.Diagnostics;
using Cairn.Core.Formats;
using Cairn.Core.Model;
using Cairn.Core.Serialization;
using Cairn.Storage.Catalog;

namespace Cairn.Storage.Projects;

/// <summary>What an import did.</summary>
public sealed record ImportResult(ProjectRow Project, int Items, int Labels, long Bytes, long NewBytes, int Classes, IReadOnlyList<string> Warnings, TimeSpan Elapsed, IReadOnlyDictionary<string, double> StageSeconds)
{
    /// <summary>The classes the import added to the project (all of them for a new project).</summary>
    public IReadOnlyList<string> NewClasses { get; init; } = [];
}

/// <summary>Progress of an import: the stage and how far it is.</summary>
public readonly record struct ImportProgress(string Stage, long Done, long Total);

/// <summary>
/// Imports a dataset folder or archive as a new project: reads the format, stores every image in the object store
/// (hashing while copying, in parallel), then writes the project and its items in one catalog transaction.
/// A failure at any point leaves no project and no catalog rows; objects already stored are unreferenced and gc reclaims them.
/// </summary>
public sealed class ProjectImporter(CairnStore store)
{
    /// <summary>Imports <paramref name="path"/> in <paramref name="format"/> as project <paramref name="projectName"/>.</summary>
    public ImportResult Import(string format, string path, string projectName, ImportOptions? options = null, string? description = null, long? createdByTaskId = null, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        if (new ProjectService(store).Find(projectName) is not null)
        {
            throw new ProjectExistsException(projectName);
        }

        progress?.Report(new ImportProgress("reading annotations", 0, 0));
        using var read = Read(format, path, options, Path.Combine(store.Home, "tmp"), ct);
        return Import(read, projectName, description, createdByTaskId, progress, ct);
    }

    /// <summary>
    /// Reads a dataset's annotations (extracting an archive under <paramref name="tempParent"/>), without a store: a
    /// caller can do it while the store opens. Dispose the result to remove an extracted archive.
    /// </summary>
    public static ReadDataset Read(string format, string path, ImportOptions? options = null, string? tempParent = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        options ??= ImportOptions.Default;
        var folder = ImportSource.Open(path, options.Limits, tempParent, ct);
        try
        {
            return new ReadDataset(folder, ImageFolder.ReadAny(format, folder.Root, options, ct), options.Limits, clock.Elapsed);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Stores the images of a read dataset and writes it as project <paramref name="projectName"/>; with
    /// <paramref name="dataset"/>, every item goes into that dataset.
    /// </summary>
    public ImportResult Import(ReadDataset read, string projectName, string? description = null, long? createdByTaskId = null, IProgress<ImportProgress>? progress = null, CancellationToken ct = default, string? dataset = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        var clock = Stopwatch.StartNew();
        var projects = new ProjectService(store);
        if (projects.Find(projectName) is not null)
        {
            throw new ProjectExistsException(projectName);
        }

        var imported = read.Project;
        var stages = new Dictionary<string, double> { ["read annotations"] = read.Elapsed.TotalSeconds };
        var stageClock = Stopwatch.StartNew();
        var items = imported.Items;
        if (dataset is not null)
        {
            CheckClashes(items, dataset, []);
        }

        var (results, bytes, newBytes) = StoreImages(read, dataset, progress, ct);
        stages["store images"] = stageClock.Elapsed.TotalSeconds;
        stageClock.Restart();
        progress?.Report(new ImportProgress("writing catalog", 0, items.Count));
        var project = projects.CreateWithItems(
            projectName,
            imported.Meta,
            results,
            description,
            createdByTaskId: createdByTaskId,
            progress: progress is null ? null : new Progress<int>(n => progress.Report(new ImportProgress("writing catalog", n, items.Count))),
            ct: ct) ?? throw new ProjectExistsException(projectName);
        stages["write catalog"] = stageClock.Elapsed.TotalSeconds;
        var labels = items.Sum(i => i.Annotation.Labels.Count);
        return new ImportResult(project, items.Count, labels, bytes, newBytes, imported.Meta.Classes.Count, imported.Warnings, clock.Elapsed + read.Elapsed, stages)
        {
            NewClasses = imported.Meta.Classes.Select(c => c.Name).ToList(),
        };
    }

    /// <summary>
    /// Adds the items of a read dataset to the working state of the existing project <paramref name="project"/> (into
    /// <paramref name="dataset"/> when given, else the datasets the reader found), merging its classes and tag
    /// definitions: all in one catalog transaction, so a failure changes nothing. An item whose name is taken in its
    /// dataset is refused (<see cref="ImportClashException"/>) before any image is stored.
    /// </summary>
    public ImportResult ImportInto(ReadDataset read, ProjectRow project, string? dataset = null, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(project);
        var clock = Stopwatch.StartNew();
        var imported = read.Project;
        var stages = new Dictionary<string, double> { ["read annotations"] = read.Elapsed.TotalSeconds };
        var stageClock = Stopwatch.StartNew();
        var items = imported.Items;
        var current = ProjectMetaJson.Parse(project.MetaJson);
        var (meta, added) = MergeMeta(current, imported.Meta, project.Name);
        CheckClashes(items, dataset, ExistingNames(project.Id));
        var (results, bytes, newBytes) = StoreImages(read, dataset, progress, ct);
        stages["store images"] = stageClock.Elapsed.TotalSeconds;
        stageClock.Restart();
        progress?.Report(new ImportProgress("writing catalog", 0, items.Count));
        using (var conn = store.OpenConnection())
        using (var tx = conn.BeginTransaction())
        {
            // The names are checked again inside the transaction: another writer may have added one since.
            var taken = new HashSet<(string, string)>();
            using (var cmd = Sql.Command(conn, tx, "SELECT d.Path, i.Name FROM items i JOIN datasets d ON d.Id = i.DatasetId WHERE i.ProjectId = @p", ("@p", project.Id)))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    taken.Add((r.GetString(0), r.GetString(1)));
                }
            }

            CheckClashes(items, dataset, taken);
            var seq = Convert.ToInt64(
                Sql.Scalar(conn, tx, "UPDATE projects SET ChangeSeq = ChangeSeq + 1, UpdatedAt = @u, MetaJson = @m WHERE Id = @p RETURNING ChangeSeq", ("@u", store.UtcNow), ("@m", ProjectMetaJson.ToJson(meta)), ("@p", project.Id)),
                System.Globalization.CultureInfo.InvariantCulture);
            using (var writer = new ItemWriter(conn, tx, project.Id, seq))
            {
                foreach (var item in results)
                {
                    ct.ThrowIfCancellationRequested();
                    writer.Write(item);
                    if (writer.Count % 256 == 0)
                    {
                        progress?.Report(new ImportProgress("writing catalog", writer.Count, items.Count));
                    }
                }

                writer.Finish();
            }

            tx.Commit();
        }

        stages["write catalog"] = stageClock.Elapsed.TotalSeconds;
        var labels = items.Sum(i => i.Annotation.Labels.Count);
        var after = new ProjectService(store).Get(project.Id) ?? project;
        return new ImportResult(after, items.Count, labels, bytes, newBytes, meta.Classes.Count, imported.Warnings, clock.Elapsed + read.Elapsed, stages) { NewClasses = added };
    }

    /// <summary>
    /// The project's classes and tags with the imported ones added (in the import's order, after the existing ones); a
    /// class known under another shape becomes "any shape". A tag known with another value type is refused.
    /// </summary>
    public static (ProjectMeta Meta, IReadOnlyList<string> AddedClasses) MergeMeta(ProjectMeta current, ProjectMeta imported, string project)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(imported);
        var classes = current.Classes.ToList();
        var added = new List<string>();
        foreach (var c in imported.Classes)
        {
            var at = classes.FindIndex(x => x.Name == c.Name);
            if (at < 0)
            {
                classes.Add(c);
                added.Add(c.Name);
            }
            else if (classes[at].Shape != c.Shape && classes[at].Shape != GeometryKind.Any)
            {
                classes[at] = classes[at] with { Shape = GeometryKind.Any };
            }
        }

        var tags = current.Tags.ToList();
        foreach (var t in imported.Tags)
        {
            var known = tags.FirstOrDefault(x => x.Name == t.Name);
            if (known is null)
            {
                tags.Add(t);
            }
            else if (known.ValueType != t.ValueType)
            {
                throw new ImportClashException(project, $"tag '{t.Name}' is a {known.ValueType} tag in project '{project}' but a {t.ValueType} tag in the import", []);
            }
        }

        return (new ProjectMeta(classes, tags), added);
    }

    private HashSet<(string, string)> ExistingNames(long projectId)
    {
        using var conn = store.OpenConnection();
        var taken = new HashSet<(string, string)>();
        using var cmd = Sql.Command(conn, null, "SELECT d.Path, i.Name FROM items i JOIN datasets d ON d.Id = i.DatasetId WHERE i.ProjectId = @p", ("@p", projectId));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            taken.Add((r.GetString(0), r.GetString(1)));
        }

        return taken;
    }

    // Refuses the import when an item's name is taken in its target dataset, by the project or by another imported item.
    private static void CheckClashes(IReadOnlyList<ImportedItem> items, string? dataset, HashSet<(string, string)> taken)
    {
        var seen = new HashSet<(string, string)>();
        var clashes = new List<string>();
        var target = dataset is null ? null : DatasetPaths.Normalize(dataset);
        foreach (var it in items)
        {
            var key = (target ?? DatasetPaths.Normalize(it.Dataset), it.Name);
            if (taken.Contains(key) || !seen.Add(key))
            {
                clashes.Add($"{key.Item1}/{key.Item2}");
            }
        }

        if (clashes.Count > 0)
        {
            var listed = string.Join(", ", clashes.Take(10)) + (clashes.Count > 10 ? $" and {clashes.Count - 10} more" : string.Empty);
            throw new ImportClashException(null, $"{clashes.Count} item name(s) already taken in their dataset: {listed}", clashes);
        }
    }

    /// <summary>
    /// Stores the images of a read dataset in the object store (one pack per thread, committed before any catalog row
    /// refers to them); <paramref name="dataset"/>, when given, replaces every item's dataset.
    /// </summary>
    private (NewItem[] Items, long Bytes, long NewBytes) StoreImages(ReadDataset read, string? dataset, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var items = read.Project.Items;
        var results = new NewItem[items.Count];
        long bytes = 0, newBytes = 0, done = 0;
        var report = Stopwatch.StartNew();
        var errors = new ConcurrentQueue<Exception>();
        progress?.Report(new ImportProgress("storing images", 0, items.Count));
        store.Objects.PrepareWrites(items.Count);
        // Dedicated threads pulling indices: no thread-pool spinning or work stealing, which on a busy machine cost
        // more kernel time than the copying itself.
        var next = -1;
        var workers = Math.Max(1, Math.Min(Environment.ProcessorCount, items.Count));
        var threads = new Thread[workers];
        for (var w = 0; w < workers; w++)
        {
            threads[w] = new Thread(() =>
            {
                // One pack per thread: a few files instead of one per image (see PackIndex for why). It is committed
                // (made visible) before the catalog rows that reference its objects are written.
                using var pack = store.Objects.BeginDirectPack();
                try
                {
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < items.Count && errors.IsEmpty)
                    {
                        ct.ThrowIfCancellationRequested();
                        var it = items[i];

                        // The header of the bytes being hashed must agree with the declared size and the pixel limit:
                        // every later decode (thumbnails, augment, inference) trusts that size.
                        var put = pack.AddFile(it.ImagePath, ct, bytes => ImageHeaderCheck.Verify(bytes, it.Annotation.Width, it.Annotation.Height, read.Relative(it.ImagePath), read.Limits));
                        results[i] = new NewItem(dataset ?? it.Dataset, it.Name, put.Id, put.Size, it.Annotation);
                        Interlocked.Add(ref bytes, put.Size);
                        if (put.Added)
                        {
                            Interlocked.Add(ref newBytes, put.Size);
                        }

                        var n = Interlocked.Increment(ref done);
                        if (progress is not null && (n & 63) == 0)
                        {
                            lock (report)
                            {
                                progress.Report(new ImportProgress("storing images", n, items.Count));
                            }
                        }
                    }

                    if (errors.IsEmpty)
                    {
                        pack.Commit();
                    }
                }
                catch (Exception e)
                {
                    errors.Enqueue(e);
                }
            })
            { IsBackground = true, Name = "cairn-import-" + w };
            threads[w].Start();
        }

        foreach (var t in threads)
        {
            t.Join();
        }

        if (!errors.IsEmpty)
        {
            var first = errors.TryPeek(out var e) ? e : null;
            if (first is OperationCanceledException)
            {
                throw first;
            }

            // A refused image is the input's fault, reported like every other bad input (nothing was imported).
            if (errors.OfType<DatasetFormatException>().FirstOrDefault() is { } bad)
            {
                throw bad;
            }

            throw new AggregateException("storing images failed", errors);
        }
        progress?.Report(new ImportProgress("storing images", items.Count, items.Count));

        return (results, bytes, newBytes);
    }
}

/// <summary>A project of that name exists already. Fronts word the remedy.</summary>
public sealed class ProjectExistsException(string name)
    : Exception($"a project named '{name}' exists already")
{
    /// <summary>The name asked for.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// An import into an existing project refused before anything was written: item names already taken in their
/// dataset, or a tag defined differently. Fronts word the remedy.
/// </summary>
public sealed class ImportClashException(string? project, string message, IReadOnlyList<string> items) : Exception(message)
{
    /// <summary>The project, when the clash is with its definitions.</summary>
    public string? Project { get; } = project;

    /// <summary>The clashing items as dataset/name.</summary>
    public IReadOnlyList<string> Items { get; } = items;
}
