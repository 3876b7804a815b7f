using System.Diagnostics;
using Cairn.Core.Ids;

namespace Cairn.Storage.Maintenance;

/// <summary>
/// Removes objects that no project working state, version tree, file or model references. Safe against writes in
/// flight: an object younger than the grace period is kept (a writer that reuses an existing snapshot node refreshes
/// its time), and each candidate's time is read again just before it is removed.
/// </summary>
public sealed class GarbageCollector(CairnStore store)
{
    /// <summary>Marks every referenced object, then removes the unreferenced ones older than the grace period.</summary>
    public GcReport Run(GcOptions? options = null, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        options ??= new GcOptions();
        var clock = Stopwatch.StartNew();
        var cutoff = DateTimeOffset.UtcNow - options.Grace;

        // Listing first: an object that appears after the listing is never a candidate this run.
        progress?.Report("listing objects");
        var objects = new List<Objects.StoredObject>();
        foreach (var o in store.Objects.ListAsync(ct).ToBlockingEnumerable(ct))
        {
            objects.Add(o);
        }

        progress?.Report("marking references");
        var marked = new HashSet<ContentId>();
        var walker = new ReferenceWalker(store);
        walker.Walk(
            (id, _) => marked.Add(id),
            (id, who, e) => throw new UnreadableTreeException(who(), id, e),
            checkAnnotations: false,
            ct);

        progress?.Report("removing unreferenced objects");
        long removed = 0, bytes = 0, young = 0;
        foreach (var o in objects)
        {
            ct.ThrowIfCancellationRequested();
            if (marked.Contains(o.Id))
            {
                continue;
            }

            // Read again now: a writer that reused it since the listing renewed its time.
            if (store.Objects.StatLoose(o.Id) is not { } info)
            {
                continue;
            }

            if (info.LastWrite > cutoff)
            {
                young++;
                continue;
            }

            if (!options.DryRun)
            {
                store.Objects.DeleteAsync(o.Id, ct).GetAwaiter().GetResult();
            }

            removed++;
            bytes += info.Size;
        }

        // Packed objects go a pack at a time: a pack with nothing referenced is removed; a pack partly referenced, and
        // every small pack (each version create of more than a few dozen nodes writes one, and every command reads
        // every index), has its referenced objects merged into new packs of up to MergedPackBytes. Packs written (or
        // re-stored into) within the grace period wait.
        var merge = new List<(string Name, ContentId[] Keep)>();
        var garbageInMerge = false;
        foreach (var pack in store.Objects.ListPacks())
        {
            ct.ThrowIfCancellationRequested();
            var (name, ids) = (pack.Name, pack.Ids);
            var dead = Enumerable.Range(0, ids.Length).Where(i => !marked.Contains(ids[i])).ToList();
            var small = pack.Size < options.SmallPackBytes;
            if (dead.Count == 0 && !small)
            {
                continue;
            }

            if (pack.LastWrite > cutoff)
            {
                young += dead.Count;
                continue;
            }

            removed += dead.Count;
            bytes += dead.Sum(i => pack.Lengths[i]);
            if (dead.Count == ids.Length)
            {
                if (!options.DryRun)
                {
                    store.Objects.RemovePack(name);
                }

                continue;
            }

            merge.Add((name, ids.Where(marked.Contains).ToArray()));
            garbageInMerge |= dead.Count > 0;
        }

        // One small pack alone stays as it is, unless it also holds garbage.
        var packsMerged = 0;
        if (merge.Count > 1 || garbageInMerge)
        {
            progress?.Report($"merging {merge.Count} packs");
            if (!options.DryRun)
            {
                store.Objects.MergePacks(merge, options.MergedPackBytes, ct);
            }

            packsMerged = merge.Count;
        }

        var tmp = options.DryRun ? 0 : store.Objects.CleanTemporary(options.Grace);
        return new GcReport(objects.Count, marked.Count, removed, bytes, young, tmp, options.DryRun, clock.ElapsedMilliseconds, packsMerged);
    }
}
