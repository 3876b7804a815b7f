using Cairn.Core.Ids;

namespace Cairn.Storage.Objects;

/// <summary>
/// Writes objects into one new pack (see <see cref="PackIndex"/>); nothing is visible until <see cref="Commit"/>.
/// Disposing without committing removes the partial pack. Not thread-safe: one writer per thread. A store may ask for
/// a loose writer instead (an S3 store that presigns image URLs): each object is then stored loose as it is added.
/// </summary>
public sealed class PackWriter : IDisposable
{
    /// <summary>By default, a pack is committed and a new one started once it holds this many bytes.</summary>
    public const long MaxPackBytes = 1L << 30;

    private readonly IPackTarget _store;
    private readonly Dictionary<ContentId, long> _mine = [];
    private List<(ContentId Id, long Offset, long Length)> _entries = [];
    private string _name = string.Empty;
    private string _tmp = string.Empty;
    private readonly bool _direct;
    private readonly long _maxBytes;
    private FileStream? _file;
    private DirectPackFile? _directFile;
    private long _length;

    private readonly bool _loose;

    internal PackWriter(IPackTarget store, bool direct, long maxBytes = MaxPackBytes, bool loose = false)
    {
        _store = store;
        _direct = direct;
        _maxBytes = maxBytes;
        _loose = loose;
    }

    /// <summary>
    /// Stores bytes in the pack, unless this pack or (with <paramref name="checkStore"/>) the store, loose or packed,
    /// holds them already.
    /// </summary>
    public PutResult Add(ReadOnlySpan<byte> content, bool checkStore = true)
    {
        if (_loose)
        {
            // A store that keeps these objects loose (S3 with presigning: a browser can fetch a loose object by URL).
            return _store.Put(content);
        }

        var id = ContentId.Of(content);
        if (_mine.ContainsKey(id) || (checkStore && _store.TouchIfPresent(id, content.Length)))
        {
            return new PutResult(id, content.Length, false);
        }

        Open();
        if (_directFile is not null)
        {
            // A large object goes through the staging buffer in pieces: its bytes stay contiguous in the pack.
            for (var rest = content; !rest.IsEmpty;)
            {
                var take = Math.Min(rest.Length, DirectPackFile.Capacity / 2);
                rest[..take].CopyTo(_directFile.Reserve(take));
                _directFile.Advance(take);
                rest = rest[take..];
            }

            return Added(id, content.Length);
        }

        _file!.Write(content);
        return Added(id, content.Length);
    }

    /// <summary>
    /// Stores a file's content in the pack (files over 16 MB are stored as loose objects instead). <paramref name="check"/>
    /// sees the bytes read before they are stored (for files over 16 MB, their first 64 kB) and may throw to refuse them.
    /// </summary>
    public PutResult AddFile(string path, CancellationToken ct = default, Action<ReadOnlySpan<byte>>? check = null)
    {
        if (_loose)
        {
            return LocalObjectStore.StoreSmallFile(path, 16 << 20, content =>
                {
                    check?.Invoke(content);
                    return _store.Put(content);
                })
                ?? PutLargeFile(path, check, ct);
        }

        Open();
        return (_directFile is not null ? AddFileDirect(path, check) : null)
            ?? LocalObjectStore.StoreSmallFile(path, 16 << 20, content =>
            {
                check?.Invoke(content);
                return Add(content);
            })
            ?? PutLargeFile(path, check, ct);
    }

    private PutResult PutLargeFile(string path, Action<ReadOnlySpan<byte>>? check, CancellationToken ct)
    {
        if (check is not null)
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            var head = new byte[64 * 1024];
            check(head.AsSpan(0, fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)));
        }

        return _store.PutFile(path, ct);
    }

    // Reads a file straight into the direct file's staging buffer (its bytes are copied once, from the page cache);
    // null when it is too large for one reservation (it is then read whole and added in pieces by Add).
    private PutResult? AddFileDirect(string path, Action<ReadOnlySpan<byte>>? check)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(handle);
        if (length > DirectPackFile.Capacity / 2)
        {
            return null;
        }

        var buffer = _directFile!.Reserve((int)length);
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(handle, buffer[read..], read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        var content = buffer[..read];
        check?.Invoke(content); // before Advance: a refused file leaves nothing in the pack
        var id = ContentId.Of(content);
        if (_mine.ContainsKey(id) || _store.TouchIfPresent(id, read))
        {
            return new PutResult(id, read, false); // not advanced: the next object takes the space
        }

        _directFile.Advance(read);
        return Added(id, read);
    }

    // Starts the pack file on the first object: direct where asked for and possible, else buffered.
    private void Open()
    {
        if (_file is not null || _directFile is not null)
        {
            return;
        }

        Directory.CreateDirectory(_store.PackScratch);
        _name = DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..16];
        _tmp = Path.Combine(_store.PackScratch, _name + ".pack.tmp-" + Guid.NewGuid().ToString("N"));
        _directFile = _direct ? DirectPackFile.TryCreate(_tmp) : null;
        if (_directFile is null)
        {
            _file = new FileStream(_tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None);
        }
    }

    // Records an object just appended at _length.
    private PutResult Added(ContentId id, int length)
    {
        _entries.Add((id, _length, length));
        _mine[id] = _length;
        _length += length;
        if (_length >= _maxBytes)
        {
            Commit();
        }

        return new PutResult(id, length, true);
    }

    /// <summary>Makes the pack's objects visible: the pack is put in place (renamed, or uploaded), then its index is written.</summary>
    public void Commit()
    {
        if (_file is null && _directFile is null)
        {
            return;
        }

        if (_entries.Count == 0)
        {
            Dispose(); // every object was there already: no empty pack
            return;
        }

        if (_directFile is not null)
        {
            _directFile.Finish();
            _directFile.Dispose();
            _directFile = null;
        }

        _file?.Dispose();
        _file = null;
        try
        {
            _store.CommitPack(_name, _tmp, _entries);
        }
        finally
        {
            // Gone either way: renamed into place, uploaded, or (a failed upload) left for nobody.
            TryDelete(_tmp);
        }

        _entries = [];
        _mine.Clear();
        _length = 0;
    }

    /// <summary>Removes an uncommitted pack.</summary>
    public void Dispose()
    {
        if (_file is not null || _directFile is not null)
        {
            _file?.Dispose();
            _file = null;
            _directFile?.Dispose();
            _directFile = null;
            TryDelete(_tmp);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
