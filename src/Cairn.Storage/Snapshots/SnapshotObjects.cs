using Cairn.Core.Ids;
using Cairn.Storage.Objects;

namespace Cairn.Storage.Snapshots;

/// <summary>
/// Reads and writes snapshot nodes in the object store, counting what a write added. A node that already exists
/// has its modification time refreshed, so a concurrent <c>gc</c> sees it as young and keeps it until the version
/// row that references it is committed.
/// <para>
/// A writer opened with <c>batch: true</c> holds its first nodes in memory and, past
/// <see cref="PackThreshold"/> of them, writes them all into a pack (one file instead of one per node: a first
/// version of a large project writes tens of thousands of nodes). <see cref="Commit"/> makes them visible; it must
/// run before anything references them, and nodes written through a batch cannot be read back before it.
/// </para>
/// </summary>
public sealed class SnapshotObjects(IObjectStore objects, bool batch = false) : IDisposable
{
    /// <summary>A batch writes loose objects up to this many nodes, a pack beyond.</summary>
    public const int PackThreshold = 64;

    private readonly Dictionary<ContentId, byte[]> _pending = [];
    private PackWriter? _pack;

    /// <summary>The underlying store.</summary>
    public IObjectStore Store => objects;

    /// <summary>Bytes of nodes this instance added to the store.</summary>
    public long NewBytes { get; private set; }

    /// <summary>Number of nodes this instance added to the store.</summary>
    public int NewNodes { get; private set; }

    /// <summary>Number of nodes written (new or already present).</summary>
    public int WrittenNodes { get; private set; }

    /// <summary>Stores an encoded node and returns its id.</summary>
    public ContentId Write(byte[] node)
    {
        WrittenNodes++;
        if (!batch)
        {
            var r = objects.Put(node);
            Count(r);
            return r.Id;
        }

        var id = ContentId.Of(node);
        if (_pending.ContainsKey(id))
        {
            return id;
        }

        if (_pack is null && _pending.Count < PackThreshold)
        {
            if (objects.TouchIfPresent(id, node.Length))
            {
                return id;
            }

            _pending[id] = node;
            return id;
        }

        _pack ??= objects.BeginPack();
        Count(_pack.Add(node));
        return id;
    }

    /// <summary>Makes a batch's nodes visible (loose, or the pack committed).</summary>
    public void Commit()
    {
        if (_pack is not null)
        {
            foreach (var node in _pending.Values)
            {
                Count(_pack.Add(node));
            }

            _pending.Clear();
            _pack.Commit();
            return;
        }

        foreach (var node in _pending.Values)
        {
            Count(objects.Put(node));
        }

        _pending.Clear();
    }

    /// <summary>Drops an uncommitted batch.</summary>
    public void Dispose()
    {
        _pending.Clear();
        _pack?.Dispose();
    }

    /// <summary>Reads (verifying its id) and decodes a root node.</summary>
    public RootNode ReadRoot(ContentId id) => NodeCodec.DecodeRoot(id, objects.Get(id));

    /// <summary>Reads and decodes an index page.</summary>
    public (int Level, PageRef[] Children) ReadIndex(ContentId id) => NodeCodec.DecodeIndex(id, objects.Get(id));

    /// <summary>Reads and decodes a leaf page.</summary>
    public ItemEntry[] ReadLeaf(ContentId id) => NodeCodec.DecodeLeaf(id, objects.Get(id));

    /// <summary>Reads and decodes a delta node.</summary>
    public (ItemEntry[] Puts, byte[][] Removed) ReadDelta(ContentId id) => NodeCodec.DecodeDelta(id, objects.Get(id));

    private void Count(PutResult r)
    {
        if (r.Added)
        {
            NewBytes += r.Size;
            NewNodes++;
        }
    }
}
