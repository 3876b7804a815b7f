using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Cairn.Core.Ids;
using ZstdSharp;

namespace Cairn.Storage.Snapshots;

/// <summary>
/// Encodes and decodes snapshot nodes. Body layout (before compression), integers as unsigned LEB128 varints,
/// strings and byte arrays as varint length + bytes, ids as 32 raw bytes:
/// <list type="bullet">
/// <item>Root: meta JSON, dataset count, then per dataset: path, tree id, items, labels, bytes.</item>
/// <item>Index: level (1 = children are leaves), count, then per child: last key, id, items, labels, bytes.</item>
/// <item>Leaf: count, class-name table (count, names), then per item: name, image id, image size, width, height,
/// annotation id, label count, tally count, (class index, count)*, annotation JSON.</item>
/// <item>Root, format version 2: as version 1, and after each dataset's bytes a flag (0: no delta, 1: a delta id follows).</item>
/// <item>Delta (version 2): the put entries laid out exactly as a leaf body, then the removed keys (count, keys).</item>
/// </list>
/// </summary>
public static class NodeCodec
{
    /// <summary>Encodes a root node into its stored bytes.</summary>
    public static byte[] EncodeRoot(RootNode root)
    {
        // Version 1 unless a dataset carries a delta: snapshots without deltas keep their version-1 bytes and ids.
        var v2 = root.Datasets.Any(d => d.DeltaId is not null);
        var w = new BodyWriter();
        w.String(root.MetaJson);
        w.VarInt((ulong)root.Datasets.Count);
        foreach (var d in root.Datasets)
        {
            w.String(d.Path);
            w.Id(d.TreeId);
            w.VarInt((ulong)d.Items);
            w.VarInt((ulong)d.Labels);
            w.VarInt((ulong)d.Bytes);
            if (v2)
            {
                w.VarInt(d.DeltaId is null ? 0UL : 1UL);
                if (d.DeltaId is { } delta)
                {
                    w.Id(delta);
                }
            }
        }

        return Seal(NodeKind.Root, w.Written, v2 ? SnapshotFormat.DeltaVersion : SnapshotFormat.Version);
    }

    /// <summary>Encodes a delta node (format version 2): entries put over a tree and keys removed from it, each sorted by key.</summary>
    public static byte[] EncodeDelta(ReadOnlySpan<ItemEntry> puts, IReadOnlyList<byte[]> removed)
    {
        var w = new BodyWriter();
        WriteEntries(w, puts);
        w.VarInt((ulong)removed.Count);
        foreach (var k in removed)
        {
            w.Bytes(k);
        }

        return Seal(NodeKind.Delta, w.Written, SnapshotFormat.DeltaVersion);
    }

    /// <summary>Encodes an index page.</summary>
    public static byte[] EncodeIndex(int level, ReadOnlySpan<PageRef> children)
    {
        var w = new BodyWriter();
        w.VarInt((ulong)level);
        w.VarInt((ulong)children.Length);
        foreach (var c in children)
        {
            w.Bytes(c.LastKey);
            w.Id(c.Id);
            w.VarInt((ulong)c.Items);
            w.VarInt((ulong)c.Labels);
            w.VarInt((ulong)c.Bytes);
        }

        return Seal(NodeKind.Index, w.Written);
    }

    /// <summary>Encodes a leaf page.</summary>
    public static byte[] EncodeLeaf(ReadOnlySpan<ItemEntry> items)
    {
        var w = new BodyWriter();
        WriteEntries(w, items);
        return Seal(NodeKind.Leaf, w.Written);
    }

    private static void WriteEntries(BodyWriter w, ReadOnlySpan<ItemEntry> items)
    {
        w.VarInt((ulong)items.Length);

        // Page-local class table, in first-seen order, so a page's bytes depend only on its items.
        var classes = new Dictionary<string, int>(StringComparer.Ordinal);
        var classOrder = new List<string>();
        foreach (var e in items)
        {
            foreach (var t in e.Classes)
            {
                if (classes.TryAdd(t.ClassName, classOrder.Count))
                {
                    classOrder.Add(t.ClassName);
                }
            }
        }

        w.VarInt((ulong)classOrder.Count);
        foreach (var c in classOrder)
        {
            w.String(c);
        }

        foreach (var e in items)
        {
            w.Bytes(e.Key);
            w.Id(e.ImageId);
            w.VarInt((ulong)e.ImageSize);
            w.VarInt((ulong)e.Width);
            w.VarInt((ulong)e.Height);
            w.Id(e.AnnotationId);
            w.VarInt((ulong)e.LabelCount);
            w.VarInt((ulong)e.Classes.Length);
            foreach (var t in e.Classes)
            {
                w.VarInt((ulong)classes[t.ClassName]);
                w.VarInt((ulong)t.Count);
            }

            w.Bytes(e.AnnotationJson);
        }
    }

    /// <summary>The kind of a stored node, after checking magic and version.</summary>
    public static NodeKind KindOf(ContentId id, ReadOnlySpan<byte> stored)
    {
        if (stored.Length < SnapshotFormat.HeaderSize || !stored[..4].SequenceEqual(SnapshotFormat.Magic))
        {
            throw new SnapshotFormatException(id, "not a snapshot node (expected the magic bytes \"CRNT\").");
        }

        if (stored[4] is not (SnapshotFormat.Version or SnapshotFormat.DeltaVersion))
        {
            throw new SnapshotFormatException(id, $"format version {stored[4]} is not supported (this build reads versions {SnapshotFormat.Version} and {SnapshotFormat.DeltaVersion}).");
        }

        var kind = (NodeKind)stored[5];
        var known = stored[4] == SnapshotFormat.Version
            ? kind is NodeKind.Root or NodeKind.Index or NodeKind.Leaf
            : kind is NodeKind.Root or NodeKind.Delta;
        if (!known)
        {
            throw new SnapshotFormatException(id, $"unknown node kind {stored[5]} in format version {stored[4]}.");
        }

        return kind;
    }

    /// <summary>True when the bytes start like a snapshot node (magic bytes), whatever the version.</summary>
    public static bool LooksLikeNode(ReadOnlySpan<byte> stored) =>
        stored.Length >= SnapshotFormat.HeaderSize && stored[..4].SequenceEqual(SnapshotFormat.Magic);

    /// <summary>The uncompressed body of a node.</summary>
    public static byte[] Body(ContentId id, ReadOnlySpan<byte> stored, NodeKind expected)
    {
        var kind = KindOf(id, stored);
        if (kind != expected)
        {
            throw new SnapshotFormatException(id, $"expected a {expected} node, found a {kind} node.");
        }

        try
        {
            using var d = new Decompressor();
            return d.Unwrap(stored[SnapshotFormat.HeaderSize..]).ToArray();
        }
        catch (ZstdException e)
        {
            throw new SnapshotFormatException(id, "the compressed body is damaged: " + e.Message);
        }
    }

    /// <summary>Decodes a root node.</summary>
    public static RootNode DecodeRoot(ContentId id, ReadOnlySpan<byte> stored)
    {
        var r = new BodyReader(id, Body(id, stored, NodeKind.Root));
        var v2 = stored[4] == SnapshotFormat.DeltaVersion;
        var meta = r.String();
        var n = r.Count();
        var datasets = new DatasetRef[n];
        for (var i = 0; i < n; i++)
        {
            datasets[i] = new DatasetRef(r.String(), r.Id(), r.Long(), r.Long(), r.Long());
            if (v2)
            {
                var flag = r.Long();
                if (flag > 1)
                {
                    throw new SnapshotFormatException(id, $"dataset {i}: delta flag {flag} (expected 0 or 1).");
                }

                if (flag == 1)
                {
                    datasets[i] = datasets[i] with { DeltaId = r.Id() };
                }
            }
        }

        r.End();
        return new RootNode(meta, datasets);
    }

    /// <summary>Decodes an index page: its level and children.</summary>
    public static (int Level, PageRef[] Children) DecodeIndex(ContentId id, ReadOnlySpan<byte> stored)
    {
        var r = new BodyReader(id, Body(id, stored, NodeKind.Index));
        var level = r.Count();
        var n = r.Count();
        var children = new PageRef[n];
        for (var i = 0; i < n; i++)
        {
            children[i] = new PageRef(r.ByteArray(), r.Id(), r.Long(), r.Long(), r.Long());
        }

        r.End();
        return (level, children);
    }

    /// <summary>Decodes a leaf page.</summary>
    public static ItemEntry[] DecodeLeaf(ContentId id, ReadOnlySpan<byte> stored)
    {
        var r = new BodyReader(id, Body(id, stored, NodeKind.Leaf));
        var items = ReadEntries(id, ref r);
        r.End();
        return items;
    }

    /// <summary>Decodes a delta node: the entries it puts and the keys it removes, each sorted by key.</summary>
    public static (ItemEntry[] Puts, byte[][] Removed) DecodeDelta(ContentId id, ReadOnlySpan<byte> stored)
    {
        var r = new BodyReader(id, Body(id, stored, NodeKind.Delta));
        var puts = ReadEntries(id, ref r);
        var removed = new byte[r.Count()][];
        for (var i = 0; i < removed.Length; i++)
        {
            removed[i] = r.ByteArray();
        }

        r.End();
        return (puts, removed);
    }

    private static ItemEntry[] ReadEntries(ContentId id, ref BodyReader r)
    {
        var n = r.Count();
        var classCount = r.Count();
        var classes = new string[classCount];
        for (var i = 0; i < classCount; i++)
        {
            classes[i] = r.String();
        }

        var items = new ItemEntry[n];
        for (var i = 0; i < n; i++)
        {
            var name = r.String();
            var image = r.Id();
            var size = r.Long();
            var width = (int)r.Long();
            var height = (int)r.Long();
            var ann = r.Id();
            var labels = (int)r.Long();
            var tallies = new LabelTally[r.Count()];
            for (var t = 0; t < tallies.Length; t++)
            {
                var ci = r.Long();
                if (ci >= classes.Length)
                {
                    throw new SnapshotFormatException(id, $"item {i} refers to class {ci}, but the page has {classes.Length} classes.");
                }

                tallies[t] = new LabelTally(classes[(int)ci], (int)r.Long());
            }

            items[i] = new ItemEntry(name, image, size, width, height, ann, labels, tallies, r.ByteArray());
        }

        return items;
    }

    private static byte[] Seal(NodeKind kind, ReadOnlySpan<byte> body, byte version = SnapshotFormat.Version)
    {
        using var c = new Compressor(SnapshotFormat.CompressionLevel);
        var bound = Compressor.GetCompressBound(body.Length);
        var result = new byte[SnapshotFormat.HeaderSize + bound];
        SnapshotFormat.Magic.CopyTo(result);
        result[4] = version;
        result[5] = (byte)kind;
        var n = c.Wrap(body, result.AsSpan(SnapshotFormat.HeaderSize));
        return result.AsSpan(0, SnapshotFormat.HeaderSize + n).ToArray();
    }

    private sealed class BodyWriter
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);

        public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

        public void VarInt(ulong v)
        {
            var span = _buffer.GetSpan(10);
            var i = 0;
            while (v >= 0x80)
            {
                span[i++] = (byte)(v | 0x80);
                v >>= 7;
            }

            span[i++] = (byte)v;
            _buffer.Advance(i);
        }

        public void Bytes(ReadOnlySpan<byte> b)
        {
            VarInt((ulong)b.Length);
            _buffer.Write(b);
        }

        public void String(string s)
        {
            var n = Encoding.UTF8.GetByteCount(s);
            VarInt((ulong)n);
            var span = _buffer.GetSpan(n);
            Encoding.UTF8.GetBytes(s, span);
            _buffer.Advance(n);
        }

        public void Id(ContentId id) => _buffer.Write(id.Bytes);
    }

    private ref struct BodyReader(ContentId id, ReadOnlySpan<byte> body)
    {
        private readonly ContentId _id = id;
        private readonly ReadOnlySpan<byte> _body = body;
        private int _pos;

        public ulong VarInt()
        {
            ulong v = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_pos >= _body.Length)
                {
                    throw new SnapshotFormatException(_id, $"body ends inside a number at byte {_pos}.");
                }

                var b = _body[_pos++];
                v |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return v;
                }
            }

            throw new SnapshotFormatException(_id, $"number too long at byte {_pos}.");
        }

        public long Long()
        {
            var v = VarInt();
            return v > long.MaxValue ? throw new SnapshotFormatException(_id, $"number out of range at byte {_pos}.") : (long)v;
        }

        public int Count()
        {
            var v = VarInt();
            // Every counted element takes at least one byte, so a count above what is left is damage.
            return v > (ulong)(_body.Length - _pos) + 1
                ? throw new SnapshotFormatException(_id, $"count {v} is larger than the {_body.Length - _pos} bytes left at byte {_pos}.")
                : (int)v;
        }

        public ReadOnlySpan<byte> Span()
        {
            var n = Count();
            if (n > _body.Length - _pos)
            {
                throw new SnapshotFormatException(_id, $"a field of {n} bytes runs past the end of the body at byte {_pos}.");
            }

            var s = _body.Slice(_pos, n);
            _pos += n;
            return s;
        }

        public byte[] ByteArray() => Span().ToArray();

        public string String() => Encoding.UTF8.GetString(Span());

        public ContentId Id()
        {
            if (_body.Length - _pos < ContentId.Size)
            {
                throw new SnapshotFormatException(_id, $"body ends inside an id at byte {_pos}.");
            }

            var v = ContentId.FromBytes(_body.Slice(_pos, ContentId.Size));
            _pos += ContentId.Size;
            return v;
        }

        public readonly void End()
        {
            if (_pos != _body.Length)
            {
                throw new SnapshotFormatException(_id, $"{_body.Length - _pos} unexpected bytes after the last field.");
            }
        }
    }
}
