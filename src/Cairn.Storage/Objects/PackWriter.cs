using Cairn.Core.Ids;

namespace Cairn.Storage.Objects;

/// <summary>
/// Writes objects into one new pack (see <see cref="PackIndex"/>); nothing is visible until <see cref="Commit"/>.
/// Disposing without committing removes the partial pack. Not thread-safe: one writer per thread.
/// </summary>
public sealed class PackWriter : IDisposable
{
    /// <summary>A pack is committed and a new one started once it holds this many bytes.</summary>
    public const long MaxPackBytes = 1L << 30;

    private readonly LocalObjectStore _store;
    private readonly PackIndex _index;
    private readonly Dictionary<ContentId, long> _mine = [];
    private List<(ContentId Id, long Offset, long Length)> _entries = [];
    private string _name = string.Empty;
    private string _tmp = string.Empty;
    private FileStream? _file;
    private long _length;

    internal PackWriter(LocalObjectStore store, PackIndex index)
    {
        _store = store;
        _index = index;
    }

    /// <summary>
    /// Stores bytes in the pack, unless this pack or (with <paramref name="checkStore"/>) the store, loose or packed,
    /// holds them already.
    /// </summary>
    public PutResult Add(ReadOnlySpan<byte> content, bool checkStore = true)
    {
        var id = ContentId.Of(content);
        if (_mine.ContainsKey(id) || (checkStore && _store.TouchIfPresent(id)))
        {
            return new PutResult(id, content.Length, false);
        }

        if (_file is null)
        {
            Directory.CreateDirectory(_index.Folder);
            _name = DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..16];
            _tmp = _index.PackPath(_name) + ".tmp-" + Guid.NewGuid().ToString("N");
            _file = new FileStream(_tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None);
        }

        _file.Write(content);
        _entries.Add((id, _length, content.Length));
        _mine[id] = _length;
        _length += content.Length;
        if (_length >= MaxPackBytes)
        {
            Commit();
        }

        return new PutResult(id, content.Length, true);
    }

    /// <summary>Stores a file's content in the pack (files over 16 MB are stored as loose objects instead).</summary>
    public PutResult AddFile(string path, CancellationToken ct = default) =>
        LocalObjectStore.StoreSmallFile(path, 16 << 20, content => Add(content)) ?? _store.PutFile(path, ct);

    /// <summary>Makes the pack's objects visible: the pack is renamed into place, then its index is written.</summary>
    public void Commit()
    {
        if (_file is null)
        {
            return;
        }

        _file.Dispose();
        _file = null;
        var pack = _index.PackPath(_name);
        File.Move(_tmp, pack);
        var idx = _index.IndexPath(_name);
        var idxTmp = idx + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(idxTmp, PackIndex.EncodeIndex(_entries));
        File.Move(idxTmp, idx);
        _index.Add(_name, _entries);
        _entries = [];
        _mine.Clear();
        _length = 0;
    }

    /// <summary>Removes an uncommitted pack.</summary>
    public void Dispose()
    {
        if (_file is not null)
        {
            _file.Dispose();
            _file = null;
            try
            {
                File.Delete(_tmp);
            }
            catch (IOException)
            {
            }
        }
    }
}
