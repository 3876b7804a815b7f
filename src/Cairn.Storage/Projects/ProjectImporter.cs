using System.Collections.Concurrent;
using System.Diagnostics;
using Cairn.Core.Formats;
using Cairn.Storage.Catalog;

namespace Cairn.Storage.Projects;

/// <summary>What an import did.</summary>
public sealed record ImportResult(ProjectRow Project, int Items, int Labels, long Bytes, long NewBytes, int Classes, IReadOnlyList<string> Warnings, TimeSpan Elapsed, IReadOnlyDictionary<string, double> StageSeconds);

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
        var reader = DatasetFormats.Get(format);
        var folder = ImportSource.Open(path, options.Limits, tempParent, ct);
        try
        {
            return new ReadDataset(folder, reader.Read(folder.Root, options, ct), options.Limits, clock.Elapsed);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>Stores the images of a read dataset and writes it as project <paramref name="projectName"/>.</summary>
    public ImportResult Import(ReadDataset read, string projectName, string? description = null, long? createdByTaskId = null, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
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
        var results = new NewItem[items.Count];
        long bytes = 0, newBytes = 0, done = 0;
        var report = Stopwatch.StartNew();
        var errors = new ConcurrentQueue<Exception>();
        progress?.Report(new ImportProgress("storing images", 0, items.Count));
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
                        results[i] = new NewItem(it.Dataset, it.Name, put.Id, put.Size, it.Annotation);
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
        return new ImportResult(project, items.Count, labels, bytes, newBytes, imported.Meta.Classes.Count, imported.Warnings, clock.Elapsed + read.Elapsed, stages);
    }
}

/// <summary>A project of that name exists already. Fronts word the remedy.</summary>
public sealed class ProjectExistsException(string name)
    : Exception($"a project named '{name}' exists already")
{
    /// <summary>The name asked for.</summary>
    public string Name { get; } = name;
}
