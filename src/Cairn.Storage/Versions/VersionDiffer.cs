using Cairn.Core.Ids;
using Cairn.Storage.Snapshots;

namespace Cairn.Storage.Versions;

/// <summary>Compares versions, or a version with a working snapshot; the cost follows the size of the change.</summary>
public sealed class VersionDiffer(CairnStore store)
{
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
}
