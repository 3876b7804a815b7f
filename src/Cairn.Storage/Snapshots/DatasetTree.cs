using Cairn.Core.Ids;

namespace Cairn.Storage.Snapshots;

/// <summary>
/// One dataset's items as a content-defined Merkle tree: leaf pages end after an item whose key hash hits
/// <see cref="SnapshotFormat.LeafBoundaryMask"/> (or at <see cref="SnapshotFormat.LeafMaxEntries"/>), index pages
/// likewise one level up. The shape depends only on the tree's content, so equal trees have equal ids whatever their
/// history, a patch rewrites only the pages around its changes, and a diff skips every page two trees share.
/// <para>
/// Large datasets (at least <paramref name="deltaMinItems"/> items) are patched with a delta instead: one node of the
/// entries changed since the tree was written, laid over it (format version 2). Scattered edits would otherwise
/// rewrite a leaf of ~16 items for every changed item; the delta costs one entry per change. The delta is cumulative
/// (each version's delta holds every change since its tree), so reading a version is one tree and one delta; when it
/// grows past <see cref="DeltaMaxFraction"/> of the tree it is folded into a new tree.
/// </para>
/// </summary>
public sealed class DatasetTree(SnapshotObjects nodes, int deltaMinItems = int.MaxValue)
{
    /// <summary>Datasets of at least this many items are patched with deltas by <see cref="CairnStore"/>'s default.</summary>
    public const int DefaultDeltaMinItems = 10_000;

    /// <summary>A delta with more entries than this fraction of its tree's items is folded into a new tree.</summary>
    public const double DeltaMaxFraction = 0.10;

    /// <summary>The node store this tree reads and writes.</summary>
    public SnapshotObjects Nodes => nodes;

    /// <summary>Builds a tree from items in strictly increasing key order (UTF-8 byte order of names).</summary>
    public DatasetRef Build(string path, IEnumerable<ItemEntry> sortedItems)
    {
        var leaves = new List<PageRef>();
        var chunker = new LeafChunker(nodes, leaves);
        byte[]? previous = null;
        foreach (var e in sortedItems)
        {
            if (previous is not null && previous.AsSpan().SequenceCompareTo(e.Key) >= 0)
            {
                throw new InvalidOperationException($"Dataset '{path}': items must come in increasing name order; '{e.Name}' follows '{System.Text.Encoding.UTF8.GetString(previous)}'.");
            }

            previous = e.Key;
            chunker.Add(e);
        }

        chunker.Flush();
        return ToDatasetRef(path, BuildIndex(leaves));
    }

    /// <summary>
    /// Applies <paramref name="changes"/> (sorted by key, each an upsert or, with a null value, a removal) to a tree,
    /// reading and rewriting only the leaves the changes fall in (plus neighbours until page boundaries line up again).
    /// <paramref name="onChange"/> sees every (before, after) pair that the patch applies, for statistics.
    /// </summary>
    public DatasetRef Patch(DatasetRef old, IReadOnlyList<KeyValuePair<byte[], ItemEntry?>> changes, Action<ItemEntry?, ItemEntry?>? onChange = null)
    {
        if (changes.Count == 0)
        {
            return old;
        }

        if (old.DeltaId is null && old.Items < deltaMinItems)
        {
            return PatchTree(old, changes, onChange);
        }

        // The overlay so far (the old delta), then each change on top of it; "before" comes from the overlay or the tree.
        var overlay = new SortedDictionary<byte[], ItemEntry?>(ByteKeyComparer.Instance);
        if (old.DeltaId is { } deltaId)
        {
            var (puts, removed) = nodes.ReadDelta(deltaId);
            foreach (var e in puts)
            {
                overlay[e.Key] = e;
            }

            foreach (var k in removed)
            {
                overlay[k] = null;
            }
        }

        var inTree = Lookup(old.TreeId, changes.Select(c => c.Key).Where(k => !overlay.ContainsKey(k)).ToList());
        var applied = new List<(ItemEntry? Before, ItemEntry? After)>(changes.Count);
        long items = old.Items, labels = old.Labels, bytes = old.Bytes;
        foreach (var (key, after) in changes)
        {
            var before = overlay.TryGetValue(key, out var o) ? o : inTree.GetValueOrDefault(key);
            if (before is null && after is null)
            {
                continue;
            }

            applied.Add((before, after));
            overlay[key] = after;
            items += (after is null ? 0 : 1) - (before is null ? 0 : 1);
            labels += (after?.LabelCount ?? 0) - (before?.LabelCount ?? 0);
            bytes += (after?.ImageSize ?? 0) - (before?.ImageSize ?? 0);
        }

        DatasetRef result;
        var treeItems = nodes.ReadIndex(old.TreeId).Children.Sum(c => c.Items);
        if (overlay.Count > DeltaMaxFraction * Math.Max(1, treeItems))
        {
            // Fold the delta into a new tree: a patch of the tree by every overlay entry, as a v1 create would write it.
            result = PatchTree(new DatasetRef(old.Path, old.TreeId, treeItems, 0, 0), overlay.ToList(), null);
        }
        else
        {
            var putList = overlay.Where(kv => kv.Value is not null).Select(kv => kv.Value!).ToArray();
            var removedList = overlay.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList();
            var id = nodes.Write(NodeCodec.EncodeDelta(putList, removedList));
            result = new DatasetRef(old.Path, old.TreeId, items, labels, bytes, id);
        }

        if (onChange is not null)
        {
            foreach (var (before, after) in applied)
            {
                onChange(before, after);
            }
        }

        return result;
    }

    // Patches the tree itself (no delta): reads and rewrites the leaves the changes fall in.
    private DatasetRef PatchTree(DatasetRef old, IReadOnlyList<KeyValuePair<byte[], ItemEntry?>> changes, Action<ItemEntry?, ItemEntry?>? onChange)
    {
        if (changes.Count == 0)
        {
            return old with { DeltaId = null };
        }

        var leaves = LeafRefs(old.TreeId);
        var output = new List<PageRef>(leaves.Count + 16);
        var chunker = new LeafChunker(nodes, output);
        var ci = 0;
        if (leaves.Count == 0)
        {
            Merge([], changes, 0, changes.Count, chunker, onChange);
        }

        for (var i = 0; i < leaves.Count; i++)
        {
            var start = ci;
            var last = i == leaves.Count - 1;
            while (ci < changes.Count && (last || changes[ci].Key.AsSpan().SequenceCompareTo(leaves[i].LastKey) <= 0))
            {
                ci++;
            }

            if (start == ci && chunker.Clean)
            {
                // Untouched page starting on a page boundary: the rebuilt tree would produce it byte for byte.
                output.Add(leaves[i]);
                continue;
            }

            Merge(nodes.ReadLeaf(leaves[i].Id), changes, start, ci, chunker, onChange);
        }

        chunker.Flush();
        return ToDatasetRef(old.Path, BuildIndex(output));
    }

    /// <summary>The leaf references of a tree in key order (reads index pages only).</summary>
    public List<PageRef> LeafRefs(ContentId top)
    {
        var result = new List<PageRef>();
        CollectLeaves(top, result);
        return result;
    }

    /// <summary>Every item of a dataset (its tree with its delta laid over) in key order.</summary>
    public IEnumerable<ItemEntry> Items(DatasetRef dataset)
    {
        if (dataset.DeltaId is not { } delta)
        {
            foreach (var e in Items(dataset.TreeId))
            {
                yield return e;
            }

            yield break;
        }

        var overlay = Overlay(delta);
        var o = 0;
        foreach (var e in Items(dataset.TreeId))
        {
            while (o < overlay.Count && ByteKeyComparer.Instance.Compare(overlay[o].Key, e.Key) < 0)
            {
                if (overlay[o].Value is { } put)
                {
                    yield return put;
                }

                o++;
            }

            if (o < overlay.Count && ByteKeyComparer.Instance.Compare(overlay[o].Key, e.Key) == 0)
            {
                if (overlay[o].Value is { } put)
                {
                    yield return put;
                }

                o++;
                continue;
            }

            yield return e;
        }

        for (; o < overlay.Count; o++)
        {
            if (overlay[o].Value is { } put)
            {
                yield return put;
            }
        }
    }

    /// <summary>A page of a dataset's items: O(log n) pages for a tree; through the merged stream when a delta is laid over it.</summary>
    public List<ItemEntry> Page(DatasetRef dataset, long skip, int take) =>
        dataset.DeltaId is null ? Page(dataset.TreeId, skip, take) : Items(dataset).Skip((int)Math.Min(skip, int.MaxValue)).Take(take).ToList();

    /// <summary>
    /// The entries of <paramref name="a"/> and <paramref name="b"/> under every key where they may differ, each side
    /// in key order (a side lacks a key it does not hold). Keys outside the result hold identical entries in both.
    /// Trees are compared by shared pages as <see cref="DirtyLeaves"/> does; delta keys are added and looked up.
    /// </summary>
    public (IEnumerable<ItemEntry> A, IEnumerable<ItemEntry> B) Differences(DatasetRef a, DatasetRef b)
    {
        if (a.SameNodes(b))
        {
            return ([], []);
        }

        if (a.DeltaId is null && b.DeltaId is null)
        {
            var (la, lb) = DirtyLeaves(a.TreeId, b.TreeId);
            return (la.SelectMany(l => nodes.ReadLeaf(l.Id)), lb.SelectMany(l => nodes.ReadLeaf(l.Id)));
        }

        if (a.TreeId == b.TreeId)
        {
            return SameTreeDifferences(a.TreeId, a.DeltaId, b.DeltaId);
        }

        var (da, db) = DirtyLeaves(a.TreeId, b.TreeId);
        var left = new Dictionary<byte[], ItemEntry>(ByteKeyComparer.Instance);
        var right = new Dictionary<byte[], ItemEntry>(ByteKeyComparer.Instance);
        foreach (var e in da.SelectMany(l => nodes.ReadLeaf(l.Id)))
        {
            left[e.Key] = e;
        }

        foreach (var e in db.SelectMany(l => nodes.ReadLeaf(l.Id)))
        {
            right[e.Key] = e;
        }

        var oa = a.DeltaId is { } x ? Overlay(x).ToDictionary(kv => kv.Key, kv => kv.Value, ByteKeyComparer.Instance) : new Dictionary<byte[], ItemEntry?>(ByteKeyComparer.Instance);
        var ob = b.DeltaId is { } y ? Overlay(y).ToDictionary(kv => kv.Key, kv => kv.Value, ByteKeyComparer.Instance) : new Dictionary<byte[], ItemEntry?>(ByteKeyComparer.Instance);
        var keys = new SortedSet<byte[]>(left.Keys, ByteKeyComparer.Instance);
        keys.UnionWith(right.Keys);
        keys.UnionWith(oa.Keys);
        keys.UnionWith(ob.Keys);

        // A key in neither side's unshared leaves lies in a leaf both trees share (or in neither tree): one lookup answers for both.
        var shared = Lookup(a.TreeId, keys.Where(k => !left.ContainsKey(k) && !right.ContainsKey(k) && !(oa.ContainsKey(k) && ob.ContainsKey(k))).ToList());
        ItemEntry? Side(byte[] k, Dictionary<byte[], ItemEntry?> overlay, Dictionary<byte[], ItemEntry> dirty, Dictionary<byte[], ItemEntry> otherDirty)
        {
            if (overlay.TryGetValue(k, out var o))
            {
                return o;
            }

            if (dirty.TryGetValue(k, out var d))
            {
                return d;
            }

            // In the other tree's unshared leaves but not in this tree's: this tree does not hold it.
            return otherDirty.ContainsKey(k) ? null : shared.GetValueOrDefault(k);
        }

        var ra = new List<ItemEntry>();
        var rb = new List<ItemEntry>();
        foreach (var k in keys)
        {
            if (Side(k, oa, left, right) is { } ea)
            {
                ra.Add(ea);
            }

            if (Side(k, ob, right, left) is { } eb)
            {
                rb.Add(eb);
            }
        }

        return (ra, rb);
    }

    // Two deltas over one tree (the common case: consecutive versions): a merge of the two sorted overlays. Keys both
    // overlays hold with the same content are skipped; a key only one holds is looked up in the shared tree.
    private (IEnumerable<ItemEntry> A, IEnumerable<ItemEntry> B) SameTreeDifferences(ContentId tree, ContentId? deltaA, ContentId? deltaB)
    {
        var oa = deltaA is { } x ? Overlay(x) : [];
        var ob = deltaB is { } y ? Overlay(y) : [];
        var pairs = new List<(byte[] Key, bool HasA, ItemEntry? A, bool HasB, ItemEntry? B)>();
        var lookup = new List<byte[]>();
        int i = 0, j = 0;
        while (i < oa.Count || j < ob.Count)
        {
            var cmp = i >= oa.Count ? 1 : j >= ob.Count ? -1 : ByteKeyComparer.Instance.Compare(oa[i].Key, ob[j].Key);
            if (cmp == 0)
            {
                var (ea, eb) = (oa[i].Value, ob[j].Value);
                var same = (ea is null && eb is null) || (ea is not null && eb is not null && ea.SameContent(eb) && ea.ImageSize == eb.ImageSize);
                if (!same)
                {
                    pairs.Add((oa[i].Key, true, ea, true, eb));
                }

                i++;
                j++;
            }
            else if (cmp < 0)
            {
                pairs.Add((oa[i].Key, true, oa[i].Value, false, null));
                lookup.Add(oa[i++].Key);
            }
            else
            {
                pairs.Add((ob[j].Key, false, null, true, ob[j].Value));
                lookup.Add(ob[j++].Key);
            }
        }

        var inTree = Lookup(tree, lookup);
        var ra = new List<ItemEntry>();
        var rb = new List<ItemEntry>();
        foreach (var p in pairs)
        {
            if ((p.HasA ? p.A : inTree.GetValueOrDefault(p.Key)) is { } ea)
            {
                ra.Add(ea);
            }

            if ((p.HasB ? p.B : inTree.GetValueOrDefault(p.Key)) is { } eb)
            {
                rb.Add(eb);
            }
        }

        return (ra, rb);
    }

    /// <summary>A delta's entries in key order: an entry put, or null for a removed key.</summary>
    public List<KeyValuePair<byte[], ItemEntry?>> Overlay(ContentId delta)
    {
        var (puts, removed) = nodes.ReadDelta(delta);
        var all = new List<KeyValuePair<byte[], ItemEntry?>>(puts.Length + removed.Length);
        all.AddRange(puts.Select(e => new KeyValuePair<byte[], ItemEntry?>(e.Key, e)));
        all.AddRange(removed.Select(k => new KeyValuePair<byte[], ItemEntry?>(k, null)));
        all.Sort((p, q) => ByteKeyComparer.Instance.Compare(p.Key, q.Key));
        return all;
    }

    /// <summary>The entries of a tree under the given keys (absent keys are left out), reading each leaf that holds one once.</summary>
    public Dictionary<byte[], ItemEntry> Lookup(ContentId top, IReadOnlyList<byte[]> keys)
    {
        var found = new Dictionary<byte[], ItemEntry>(ByteKeyComparer.Instance);
        if (keys.Count == 0)
        {
            return found;
        }

        var leaves = LeafRefs(top);
        var byLeaf = new SortedDictionary<int, List<byte[]>>();
        foreach (var k in keys)
        {
            // The first leaf whose last key is >= k is the only one that can hold k.
            int lo = 0, hi = leaves.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (ByteKeyComparer.Instance.Compare(leaves[mid].LastKey, k) < 0)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            if (lo < leaves.Count)
            {
                (byLeaf.TryGetValue(lo, out var list) ? list : byLeaf[lo] = []).Add(k);
            }
        }

        foreach (var (leaf, wanted) in byLeaf)
        {
            var want = wanted.ToHashSet(ByteKeyComparer.Instance);
            foreach (var e in nodes.ReadLeaf(leaves[leaf].Id))
            {
                if (want.Contains(e.Key))
                {
                    found[e.Key] = e;
                }
            }
        }

        return found;
    }

    /// <summary>Every item of a tree in key order, one leaf in memory at a time.</summary>
    public IEnumerable<ItemEntry> Items(ContentId top)
    {
        foreach (var leaf in LeafRefs(top))
        {
            foreach (var e in nodes.ReadLeaf(leaf.Id))
            {
                yield return e;
            }
        }
    }

    /// <summary>Items <paramref name="skip"/> to skip + take in key order, descending by subtree counts (reads O(log n) pages).</summary>
    public List<ItemEntry> Page(ContentId top, long skip, int take)
    {
        var result = new List<ItemEntry>(Math.Min(take, 1024));
        PageInto(top, ref skip, take, result);
        return result;
    }

    /// <summary>
    /// The leaves of <paramref name="a"/> and <paramref name="b"/> that the other tree does not share, in key order.
    /// Identical subtrees are cancelled by id at every level, so the cost follows the difference.
    /// An item whose leaf is shared is identical in both trees; every other item lies in the returned leaves.
    /// </summary>
    public (List<PageRef> A, List<PageRef> B) DirtyLeaves(ContentId a, ContentId b)
    {
        if (a == b)
        {
            return ([], []);
        }

        var (la, ca) = nodes.ReadIndex(a);
        var (lb, cb) = nodes.ReadIndex(b);
        var pa = ca.Select(c => (Level: la - 1, Ref: c)).ToList();
        var pb = cb.Select(c => (Level: lb - 1, Ref: c)).ToList();
        while (true)
        {
            Cancel(pa, pb);
            var top = Math.Max(pa.Count == 0 ? 0 : pa.Max(p => p.Level), pb.Count == 0 ? 0 : pb.Max(p => p.Level));
            if (top == 0)
            {
                return (pa.Select(p => p.Ref).ToList(), pb.Select(p => p.Ref).ToList());
            }

            pa = Expand(pa, top);
            pb = Expand(pb, top);
        }
    }

    private List<(int Level, PageRef Ref)> Expand(List<(int Level, PageRef Ref)> list, int level)
    {
        var result = new List<(int, PageRef)>(list.Count * 4);
        foreach (var p in list)
        {
            if (p.Level != level)
            {
                result.Add(p);
                continue;
            }

            var (l, children) = nodes.ReadIndex(p.Ref.Id);
            foreach (var c in children)
            {
                result.Add((l - 1, c));
            }
        }

        return result;
    }

    private static void Cancel(List<(int Level, PageRef Ref)> a, List<(int Level, PageRef Ref)> b)
    {
        // Within one tree every page holds distinct keys, so a page id occurs at most once per side.
        var common = a.Select(p => p.Ref.Id).ToHashSet();
        common.IntersectWith(b.Select(p => p.Ref.Id));
        if (common.Count > 0)
        {
            a.RemoveAll(p => common.Contains(p.Ref.Id));
            b.RemoveAll(p => common.Contains(p.Ref.Id));
        }
    }

    private void PageInto(ContentId id, ref long skip, int take, List<ItemEntry> result)
    {
        var (level, children) = nodes.ReadIndex(id);
        foreach (var c in children)
        {
            if (result.Count >= take)
            {
                return;
            }

            if (skip >= c.Items)
            {
                skip -= c.Items;
                continue;
            }

            if (level > 1)
            {
                PageInto(c.Id, ref skip, take, result);
                continue;
            }

            foreach (var e in nodes.ReadLeaf(c.Id))
            {
                if (skip > 0)
                {
                    skip--;
                }
                else if (result.Count < take)
                {
                    result.Add(e);
                }
            }
        }
    }

    private void CollectLeaves(ContentId id, List<PageRef> result)
    {
        var (level, children) = nodes.ReadIndex(id);
        if (level == 1)
        {
            result.AddRange(children);
            return;
        }

        foreach (var c in children)
        {
            CollectLeaves(c.Id, result);
        }
    }

    private static void Merge(ItemEntry[] old, IReadOnlyList<KeyValuePair<byte[], ItemEntry?>> changes, int from, int to, LeafChunker chunker, Action<ItemEntry?, ItemEntry?>? onChange)
    {
        var i = 0;
        var c = from;
        while (i < old.Length || c < to)
        {
            var cmp = i >= old.Length ? 1 : c >= to ? -1 : old[i].Key.AsSpan().SequenceCompareTo(changes[c].Key);
            if (cmp < 0)
            {
                chunker.Add(old[i++]);
                continue;
            }

            var before = cmp == 0 ? old[i++] : null;
            var after = changes[c++].Value;
            if (before is null && after is null)
            {
                continue;
            }

            onChange?.Invoke(before, after);
            if (after is not null)
            {
                chunker.Add(after);
            }
        }
    }

    private PageRef BuildIndex(List<PageRef> leaves)
    {
        if (leaves.Count == 0)
        {
            var id = nodes.Write(NodeCodec.EncodeIndex(1, []));
            return new PageRef([], id, 0, 0, 0);
        }

        var level = 1;
        var current = leaves;
        while (true)
        {
            var next = new List<PageRef>(current.Count / 32 + 1);
            var start = 0;
            for (var i = 0; i < current.Count; i++)
            {
                var boundary = (SnapshotFormat.KeyHash(current[i].LastKey, level) & SnapshotFormat.IndexBoundaryMask) == 0;
                if (boundary || i - start + 1 >= SnapshotFormat.IndexMaxEntries || i == current.Count - 1)
                {
                    next.Add(WriteIndex(level, current, start, i + 1));
                    start = i + 1;
                }
            }

            if (next.Count == 1)
            {
                return next[0];
            }

            current = next;
            level++;
        }
    }

    private PageRef WriteIndex(int level, List<PageRef> refs, int from, int to)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(refs)[from..to];
        long items = 0, labels = 0, bytes = 0;
        foreach (var r in span)
        {
            items += r.Items;
            labels += r.Labels;
            bytes += r.Bytes;
        }

        var id = nodes.Write(NodeCodec.EncodeIndex(level, span));
        return new PageRef(span[^1].LastKey, id, items, labels, bytes);
    }

    private static DatasetRef ToDatasetRef(string path, PageRef top) => new(path, top.Id, top.Items, top.Labels, top.Bytes);

    private sealed class LeafChunker(SnapshotObjects nodes, List<PageRef> output)
    {
        private readonly List<ItemEntry> _buffer = new(SnapshotFormat.LeafMaxEntries);

        public bool Clean => _buffer.Count == 0;

        public void Add(ItemEntry e)
        {
            _buffer.Add(e);
            if ((SnapshotFormat.KeyHash(e.Key, 0) & SnapshotFormat.LeafBoundaryMask) == 0 || _buffer.Count >= SnapshotFormat.LeafMaxEntries)
            {
                Flush();
            }
        }

        public void Flush()
        {
            if (_buffer.Count == 0)
            {
                return;
            }

            long labels = 0, bytes = 0;
            foreach (var e in _buffer)
            {
                labels += e.LabelCount;
                bytes += e.ImageSize;
            }

            var id = nodes.Write(NodeCodec.EncodeLeaf(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_buffer)));
            output.Add(new PageRef(_buffer[^1].Key, id, _buffer.Count, labels, bytes));
            _buffer.Clear();
        }
    }
}
