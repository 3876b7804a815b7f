using Cairn.Core.Ids;
using Cairn.Storage.Objects;

namespace Cairn.Storage.Snapshots;

/// <summary>
/// Reads and writes snapshot nodes in the object store, counting what a write added. A node that already exists
/// has its modification time refreshed, so a concurrent <c>gc</c> sees it as young and keeps it until the version
/// row that references it is committed.
/// </summary>
public sealed class SnapshotObjects(LocalObjectStore objects)
{
    /// <summary>The underlying store.</summary>
    public LocalObjectStore Store => objects;

    /// <summary>Bytes of nodes this instance added to the store.</summary>
    public long NewBytes { get; private set; }

    /// <summary>Number of nodes this instance added to the store.</summary>
    public int NewNodes { get; private set; }

    /// <summary>Number of nodes written (new or already present).</summary>
    public int WrittenNodes { get; private set; }

    /// <summary>Stores an encoded node and returns its id.</summary>
    public ContentId Write(byte[] node)
    {
        var r = objects.Put(node);
        WrittenNodes++;
        if (r.Added)
        {
            NewBytes += r.Size;
            NewNodes++;
        }
        else
        {
            Touch(r.Id);
        }

        return r.Id;
    }

    /// <summary>Reads (verifying its id) and decodes a root node.</summary>
    public RootNode ReadRoot(ContentId id) => NodeCodec.DecodeRoot(id, objects.Get(id));

    /// <summary>Reads and decodes an index page.</summary>
    public (int Level, PageRef[] Children) ReadIndex(ContentId id) => NodeCodec.DecodeIndex(id, objects.Get(id));

    /// <summary>Reads and decodes a leaf page.</summary>
    public ItemEntry[] ReadLeaf(ContentId id) => NodeCodec.DecodeLeaf(id, objects.Get(id));

    /// <summary>Reads and decodes a delta node.</summary>
    public (ItemEntry[] Puts, byte[][] Removed) ReadDelta(ContentId id) => NodeCodec.DecodeDelta(id, objects.Get(id));

    private void Touch(ContentId id)
    {
        try
        {
            File.SetLastWriteTimeUtc(objects.PathOf(id), DateTime.UtcNow);
        }
        catch (IOException)
        {
            // Read-only store or a file gone under us: the next fsck reports a real problem.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
