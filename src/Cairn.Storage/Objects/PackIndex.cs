using System.Buffers.Binary;
using System.Collections.Concurrent;
using Cairn.Core.Ids;

namespace Cairn.Storage.Objects;

/// <summary>
/// Pack files: many objects in one file, for bulk writes (imports). Creating a file costs an inode allocation, which
/// on a used ext4 file system dominates writing thousands of small images (measured: 5,000 files of 74 kB take 3.2 s,
/// one file of the same bytes 0.13 s). A pack is <c>packs/NAME.pack</c> (the objects' bytes back to back) and
/// <c>packs/NAME.idx</c>: "CRPK", version 1, count (int32 LE), entries sorted by id (id, offset int64 LE, length
/// int64 LE), then the BLAKE3 of everything before it. The pack is renamed into place before its index: an object
/// is visible once the index exists, so a pack is either invisible or whole. Objects are still verified on every read.
/// </summary>
public sealed class PackIndex
{
    private static ReadOnlySpan<byte> Magic => "CRPK"u8;

    private const byte Version = 1;

    private const int EntrySize = ContentId.Size + 16;

    private readonly string _dir;
    private readonly ConcurrentDictionary<ContentId, PackedLocation> _entries = new();
    private readonly ConcurrentDictionary<string, ContentId[]> _loaded = new(StringComparer.Ordinal);
    private readonly object _refresh = new();
    private DateTime _scannedAt = DateTime.MinValue;

    /// <summary>An index over the packs in <paramref name="dir"/> (created on the first pack).</summary>
    public PackIndex(string dir) => _dir = dir;

    /// <summary>The folder holding the packs.</summary>
    public string Folder => _dir;

    /// <summary>The pack names known after the last refresh, with their object ids.</summary>
    public IReadOnlyDictionary<string, ContentId[]> Packs
    {
        get
        {
            Refresh(force: true);
            return _loaded;
        }
    }

    /// <summary>Finds an object in a pack (re-reading the folder when it changed since the last look).</summary>
    public bool TryLocate(ContentId id, out PackedLocation location)
    {
        if (TryLocateLoaded(id, out location))
        {
            return true;
        }

        Refresh(force: false);
        return _entries.TryGetValue(id, out location);
    }

    /// <summary>Finds an object among the packs already loaded, without looking at the folder.</summary>
    public bool TryLocateLoaded(ContentId id, out PackedLocation location) => _entries.TryGetValue(id, out location);

    /// <summary>Re-reads the folder: loads new indexes, forgets removed ones.</summary>
    public void Refresh(bool force)
    {
        if (!Directory.Exists(_dir))
        {
            return;
        }

        lock (_refresh)
        {
            var stamp = Directory.GetLastWriteTimeUtc(_dir);
            if (!force && stamp == _scannedAt)
            {
                return;
            }

            _scannedAt = stamp;
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var idx in Directory.EnumerateFiles(_dir, "*.idx"))
            {
                var name = Path.GetFileNameWithoutExtension(idx);
                present.Add(name);
                if (!_loaded.ContainsKey(name))
                {
                    Load(name);
                }
            }

            foreach (var gone in _loaded.Keys.Where(k => !present.Contains(k)).ToList())
            {
                Forget(gone);
            }
        }
    }

    /// <summary>Registers a pack this process just committed.</summary>
    internal void Add(string name, IReadOnlyList<(ContentId Id, long Offset, long Length)> entries)
    {
        var pack = PackPath(name);
        foreach (var (id, offset, length) in entries)
        {
            // The newest pack wins: a repacked object moves to the new pack before the old one is removed.
            _entries[id] = new PackedLocation(pack, offset, length);
        }

        _loaded[name] = entries.Select(e => e.Id).ToArray();
    }

    /// <summary>Drops a pack from memory (its files were removed).</summary>
    internal void Forget(string name)
    {
        if (_loaded.TryRemove(name, out var ids))
        {
            var pack = PackPath(name);
            foreach (var id in ids)
            {
                if (_entries.TryGetValue(id, out var l) && l.Pack == pack)
                {
                    _entries.TryRemove(id, out _);
                }
            }
        }
    }

    /// <summary>Path of a pack's data file.</summary>
    public string PackPath(string name) => Path.Combine(_dir, name + ".pack");

    /// <summary>Path of a pack's index file.</summary>
    public string IndexPath(string name) => Path.Combine(_dir, name + ".idx");

    /// <summary>The bytes of a pack index for <paramref name="entries"/> (sorted here).</summary>
    internal static byte[] EncodeIndex(List<(ContentId Id, long Offset, long Length)> entries)
    {
        entries.Sort((a, b) => a.Id.Bytes.SequenceCompareTo(b.Id.Bytes));
        var bytes = new byte[9 + (entries.Count * EntrySize) + ContentId.Size];
        Magic.CopyTo(bytes);
        bytes[4] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(5), entries.Count);
        var at = 9;
        foreach (var (id, offset, length) in entries)
        {
            id.Bytes.CopyTo(bytes.AsSpan(at));
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at + ContentId.Size), offset);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at + ContentId.Size + 8), length);
            at += EntrySize;
        }

        ContentId.Of(bytes.AsSpan(0, at)).Bytes.CopyTo(bytes.AsSpan(at));
        return bytes;
    }

    /// <summary>Decodes a pack index; throws <see cref="InvalidDataException"/> naming the file when it is damaged.</summary>
    internal static List<(ContentId Id, long Offset, long Length)> DecodeIndex(string file, byte[] bytes)
    {
        if (bytes.Length < 9 + ContentId.Size || !bytes.AsSpan(0, 4).SequenceEqual(Magic) || bytes[4] != Version)
        {
            throw new InvalidDataException($"{file}: not a version-{Version} pack index (expected the magic bytes \"CRPK\").");
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(5));
        var end = 9 + ((long)count * EntrySize);
        if (count < 0 || end + ContentId.Size != bytes.Length)
        {
            throw new InvalidDataException($"{file}: {bytes.Length} bytes do not hold {count} entries and a checksum.");
        }

        if (ContentId.Of(bytes.AsSpan(0, (int)end)) != ContentId.FromBytes(bytes.AsSpan((int)end, ContentId.Size)))
        {
            throw new InvalidDataException($"{file}: the index does not match its checksum.");
        }

        var entries = new List<(ContentId, long, long)>(count);
        for (var at = 9; at < end; at += EntrySize)
        {
            entries.Add((ContentId.FromBytes(bytes.AsSpan(at, ContentId.Size)),
                BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at + ContentId.Size)),
                BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at + ContentId.Size + 8))));
        }

        return entries;
    }

    private void Load(string name)
    {
        var file = IndexPath(name);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (FileNotFoundException)
        {
            return; // removed between listing and reading (gc)
        }

        // A damaged index makes its objects missing, which fsck reports through the references to them.
        List<(ContentId Id, long Offset, long Length)> entries;
        try
        {
            entries = DecodeIndex(file, bytes);
        }
        catch (InvalidDataException)
        {
            _loaded[name] = [];
            return;
        }

        Add(name, entries);
    }
}
