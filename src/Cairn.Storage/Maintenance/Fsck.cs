using System.Collections.Concurrent;
using System.Diagnostics;
using Cairn.Core.Ids;
using Cairn.Storage.Objects;

namespace Cairn.Storage.Maintenance;

/// <summary>
/// Checks a store: re-hashes every object (in parallel) and follows every reference from the catalog and the
/// version trees, reporting corrupt, missing and unreadable objects. A corrupt object that nothing references is a
/// warning, not a problem: nothing reads it, gc removes it, and a write of the content it should hold replaces it
/// (what an S3-protocol server may keep of an upload whose writer was killed; a disk's bit rot in a stale object).
/// </summary>
public sealed class Fsck(CairnStore store)
{
    /// <summary>Limits how many problems are listed (all are counted in the exit status anyway).</summary>
    public int MaxProblems { get; init; } = 10_000;

    /// <summary>Runs the check.</summary>
    public FsckReport Run(IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var problems = new ConcurrentQueue<FsckProblem>();
        void Report(FsckProblem p)
        {
            if (problems.Count < MaxProblems)
            {
                problems.Enqueue(p);
            }
        }

        progress?.Report("listing objects");
        var objects = store.Objects.ListAsync(ct).ToBlockingEnumerable(ct).ToList();
        var present = objects.Select(o => o.Id).ToHashSet();

        progress?.Report($"re-hashing {objects.Count} objects");
        var corrupt = new ConcurrentDictionary<ContentId, ContentId>();
        long bytes = 0;
        Parallel.ForEach(objects, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, o =>
        {
            ContentId actual;
            try
            {
                actual = store.Objects.HashStored(o.Id);
            }
            catch (MissingObjectException)
            {
                return; // removed since the listing (gc); a reference to it is reported below if one exists
            }

            Interlocked.Add(ref bytes, o.Size);
            if (actual != o.Id)
            {
                corrupt[o.Id] = actual;
            }
        });

        progress?.Report("checking references");
        var walker = new ReferenceWalker(store);
        var missingSeen = new HashSet<ContentId>();
        var corruptReferenced = new HashSet<ContentId>();
        walker.Walk(
            (id, who) =>
            {
                if (corrupt.ContainsKey(id) && corruptReferenced.Add(id))
                {
                    Report(new FsckProblem("corrupt", id.ToString(), who(), $"content hashes to {corrupt[id]}"));
                }

                if (!present.Contains(id) && !store.Objects.Contains(id) && missingSeen.Add(id))
                {
                    Report(new FsckProblem("missing", id.ToString(), who(), "referenced but not in the object store"));
                }
            },
            (id, who, e) =>
            {
                // Corrupt and missing objects are already reported; a node that is whole but unreadable is damage.
                if (e is not (CorruptObjectException or MissingObjectException))
                {
                    Report(new FsckProblem("damaged", id.ToString(), who(), e.Message));
                }
                else if (e is CorruptObjectException && !corrupt.ContainsKey(id))
                {
                    Report(new FsckProblem("corrupt", id.ToString(), who(), e.Message));
                }
            },
            checkAnnotations: true,
            ct);

        var warnings = corrupt.Where(c => !corruptReferenced.Contains(c.Key)).OrderBy(c => c.Key.ToString(), StringComparer.Ordinal)
            .Select(c => new FsckProblem("corrupt-unreferenced", c.Key.ToString(), null, $"content hashes to {c.Value}; nothing references it, and gc removes it"))
            .ToList();
        return new FsckReport(objects.Count, bytes, walker.Items, walker.Versions, walker.Nodes, problems.ToList(), clock.ElapsedMilliseconds) { Warnings = warnings };
    }
}
