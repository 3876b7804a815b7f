using Cairn.Core.Ids;

namespace Cairn.Storage.Snapshots;

/// <summary>
/// One dataset's items as a content-defined Merkle tree: leaf pages end after an item whose key hash hits
/// <see cref="SnapshotFormat.LeafBoundaryMask"/> (or at <see cref="SnapshotFormat.LeafMaxEntries"/>), index pages
/// likewise one level up. The shape depends only on the content, so equal datasets have equal ids whatever their
/// history, a patch rewrites only the pages around its changes, and a diff skips every page two trees share.
/// </summary>
public sealed class DatasetTree(SnapshotObjects nodes)
{
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
