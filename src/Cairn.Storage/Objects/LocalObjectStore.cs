using System.Buffers;
using System.Runtime.CompilerServices;
using Cairn.Core.Ids;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage.Objects;

/// <summary>
/// Objects as files under <c>root/ab/cdef…</c> (loose), or inside pack files under <c>root/packs</c> for bulk writes
/// (<see cref="PackIndex"/>, <see cref="BeginPack"/>). Loose writes go to a temporary name first and are renamed into
/// place, packs are renamed into place before their index: an object is either absent or whole, whatever moment the
/// process dies. Every read re-hashes what it returns.
/// </summary>
public sealed class LocalObjectStore : IPackTarget
{
    private const int BufferSize = 1 << 17;
    private readonly string _root;
    private readonly string _tmp;
    private readonly PackIndex _packs;

    /// <summary>Opens (creating when needed) a store in <paramref name="root"/>.</summary>
    public LocalObjectStore(string root)
    {
        _root = Path.GetFullPath(root);
        _tmp = Path.Combine(_root, "tmp");
        _packs = new PackIndex(Path.Combine(_root, "packs"));
        Directory.CreateDirectory(_tmp);

        // The 256 shard folders are made when a loose object first needs one: bulk writes go into packs, and making
        // all of them up front cost every new home 256 inode allocations (tens of milliseconds on a busy ext4).
    }

    /// <summary>The folder holding the objects.</summary>
    public string Root => _root;

    /// <inheritdoc/>
    /// <remarks>Nothing to prepare: an existence check here is a stat of a local file.</remarks>
    public void PrepareWrites(int count)
    {
    }

    /// <inheritdoc/>
    public string Location => _root;

    string IPackTarget.PackScratch => _packs.Folder;

    /// <summary>The pack files' index.</summary>
    public PackIndex Packs => _packs;

    /// <summary>Starts a pack for many objects written together (an import); commit it before referencing them.</summary>
    public PackWriter BeginPack() => new(this, direct: false);

    /// <summary>
    /// Starts a pack written with direct I/O where the file system allows it (see DirectPackFile): for bulk writes of
    /// bytes that will not be read back soon, like an import's images.
    /// </summary>
    public PackWriter BeginDirectPack() => new(this, direct: true);

    /// <summary>Where a packed object lies; false for loose or absent objects.</summary>
    public bool TryLocatePacked(ContentId id, out PackedLocation location) => _packs.TryLocate(id, out location);

    /// <inheritdoc/>
    public bool TouchIfPresent(ContentId id, long size)
    {
        // The size is not compared: a loose file is renamed into place whole, never left partly written.
        var path = PathOf(id);
        if (File.Exists(path))
        {
            Touch(path);
            return true;
        }

        if (_packs.TryLocate(id, out var l))
        {
            Touch(l.Pack);
            return true;
        }

        return false;
    }

    /// <summary>Path of the file holding a loose object.</summary>
    public string PathOf(ContentId id)
    {
        var hex = id.ToString();
        return Path.Combine(_root, hex[..2], hex[2..]);
    }

    /// <inheritdoc/>
    public Task<ContentId> PutAsync(ReadOnlyMemory<byte> content, CancellationToken ct = default) =>
        Task.FromResult(Put(content.Span).Id);

    /// <inheritdoc/>
    public PutResult Put(ReadOnlySpan<byte> content)
    {
        var id = ContentId.Of(content);
        if (TouchIfPresent(id, content.Length))
        {
            return new PutResult(id, content.Length, false);
        }

        var path = PathOf(id);

        // The temporary file sits next to its final name: the rename stays inside one folder, and
        // parallel writers spread over 256 folders instead of contending for one.
        var tmp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            SafeFileHandle handle;
            try
            {
                handle = File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            }
            catch (IOException e) when (e is DirectoryNotFoundException or FileNotFoundException)
            {
                // The shard's first object. ENOENT reads as FileNotFoundException when another writer created the
                // folder between the failed open and the runtime's look at the parent: create (idempotent), retry.
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                handle = File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            }

            using (handle)
            {
                RandomAccess.Write(handle, content, 0);
            }

            return new PutResult(id, content.Length, MoveIntoPlace(tmp, path));
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <inheritdoc/>
    public Task<PutResult> PutStreamAsync(Stream content, CancellationToken ct = default) => Task.FromResult(PutStream(content, ct));

    /// <inheritdoc/>
    public PutResult PutStream(Stream content, CancellationToken ct = default)
    {
        var tmp = TempPath();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            ContentId id;
            long size = 0;
            using (var hasher = new ContentHasher())
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                int read;
                while ((read = content.Read(buffer, 0, BufferSize)) > 0)
                {
                    ct.ThrowIfCancellationRequested();
                    hasher.Update(buffer.AsSpan(0, read));
                    fs.Write(buffer, 0, read);
                    size += read;
                }

                id = hasher.Finish();
            }

            var path = PathOf(id);
            if (TouchIfPresent(id, size))
            {
                TryDelete(tmp);
                return new PutResult(id, size, false);
            }

            return new PutResult(id, size, MoveIntoPlace(tmp, path));
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc/>
    public PutResult PutFile(string file, CancellationToken ct = default)
    {
        if (StoreSmallFile(file, 8 << 20, Put) is { } put)
        {
            return put;
        }

        using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return PutStream(fs, ct);
    }

    /// <summary>Stores bytes handed over as a span.</summary>
    internal delegate PutResult SpanStore(ReadOnlySpan<byte> content);

    /// <summary>
    /// Reads a file of at most <paramref name="maxLength"/> bytes whole into a pooled buffer (a handful of syscalls)
    /// and hands it to <paramref name="store"/>; null, without storing, when the file is larger.
    /// </summary>
    internal static PutResult? StoreSmallFile(string file, long maxLength, SpanStore store)
    {
        using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(handle);
        if (length > maxLength)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            var read = 0;
            while (read < length)
            {
                var n = RandomAccess.Read(handle, buffer.AsSpan(read, (int)length - read), read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return store(buffer.AsSpan(0, read));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc/>
    public Task<bool> ContainsAsync(ContentId id, CancellationToken ct = default) => Task.FromResult(Contains(id));

    /// <inheritdoc/>
    public bool Contains(ContentId id) => File.Exists(PathOf(id)) || _packs.TryLocate(id, out _);

    /// <inheritdoc/>
    public Task<byte[]> GetAsync(ContentId id, CancellationToken ct = default) => Task.FromResult(Get(id));

    /// <inheritdoc/>
    public byte[] Get(ContentId id)
    {
        // A known packed object is read from its pack without first failing to open a loose file.
        var bytes = _packs.TryLocateLoaded(id, out _) ? ReadPacked(id) : null;
        if (bytes is null)
        {
            try
            {
                bytes = File.ReadAllBytes(PathOf(id));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                bytes = ReadPacked(id) ?? throw new MissingObjectException(id);
            }
        }

        var actual = ContentId.Of(bytes);
        if (actual != id)
        {
            throw new CorruptObjectException(id, actual);
        }

        return bytes;
    }

    // The bytes of a packed object (not yet verified), or null when no pack holds it. A pack removed under us (gc
    // repacked it) sends us to the folder again once.
    private byte[]? ReadPacked(ContentId id)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (!_packs.TryLocate(id, out var l))
            {
                return null;
            }

            try
            {
                using var handle = File.OpenHandle(l.Pack, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
                var bytes = new byte[l.Length];
                var read = 0;
                while (read < bytes.Length)
                {
                    var n = RandomAccess.Read(handle, bytes.AsSpan(read), l.Offset + read);
                    if (n == 0)
                    {
                        break; // a truncated pack: the short read fails verification as corrupt
                    }

                    read += n;
                }

                return read == bytes.Length ? bytes : bytes[..read];
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                _packs.Refresh(force: true);
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public Task<Stream> OpenReadAsync(ContentId id, CancellationToken ct = default)
    {
        if (_packs.TryLocateLoaded(id, out _))
        {
            // Packed objects are small (imports pack files up to 16 MB): read and verify them whole.
            return Task.FromResult<Stream>(new MemoryStream(Get(id), writable: false));
        }

        FileStream fs;
        try
        {
            fs = new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Packed by another process since this one last looked.
            return Task.FromResult<Stream>(new MemoryStream(Get(id), writable: false));
        }

        return Task.FromResult<Stream>(new VerifyingStream(fs, id));
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredObject> ListAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await Task.Yield();
        foreach (var dir in Directory.EnumerateDirectories(_root))
        {
            var prefix = Path.GetFileName(dir);
            if (prefix.Length != 2)
            {
                continue;
            }

            foreach (var file in new DirectoryInfo(dir).EnumerateFiles())
            {
                ct.ThrowIfCancellationRequested();
                if (ContentId.TryParse(prefix + file.Name, out var id))
                {
                    yield return new StoredObject(id, file.Length, file.LastWriteTimeUtc);
                }
            }
        }

        // Packed objects carry their pack's time.
        foreach (var (name, ids) in _packs.Packs)
        {
            var info = new FileInfo(_packs.PackPath(name));
            if (!info.Exists)
            {
                continue;
            }

            foreach (var id in ids)
            {
                ct.ThrowIfCancellationRequested();
                if (_packs.TryLocate(id, out var l))
                {
                    yield return new StoredObject(id, l.Length, info.LastWriteTimeUtc);
                }
            }
        }
    }

    // The pack is renamed into place before its index is written: an object is visible once the index exists.
    void IPackTarget.CommitPack(string name, string file, List<(ContentId Id, long Offset, long Length)> entries)
    {
        File.Move(file, _packs.PackPath(name));
        var idx = _packs.IndexPath(name);
        var idxTmp = idx + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(idxTmp, PackIndex.EncodeIndex(entries));
        File.Move(idxTmp, idx);
        _packs.Add(name, entries);
    }

    /// <inheritdoc/>
    public StoredObject? StatLoose(ContentId id)
    {
        var info = new FileInfo(PathOf(id));
        return info.Exists ? new StoredObject(id, info.Length, info.LastWriteTimeUtc) : null;
    }

    /// <inheritdoc/>
    public IReadOnlyList<StoredPack> ListPacks()
    {
        var list = new List<StoredPack>();
        foreach (var (name, ids) in _packs.Packs.ToList())
        {
            var info = new FileInfo(_packs.PackPath(name));
            if (!info.Exists)
            {
                continue;
            }

            var lengths = ids.Select(id => _packs.TryLocate(id, out var l) && l.Pack == info.FullName ? l.Length : 0).ToArray();
            list.Add(new StoredPack(name, ids, lengths, info.Length, info.LastWriteTimeUtc));
        }

        return list;
    }

    /// <inheritdoc/>
    public ContentId HashStored(ContentId id)
    {
        if (!_packs.TryLocateLoaded(id, out _))
        {
            try
            {
                // Loose objects can be large (models): hashed as a stream, not read whole.
                using var fs = new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                return ContentHasher.HashStream(fs);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // Packed since the listing, or removed: Get tells which.
            }
        }

        try
        {
            Get(id);
            return id;
        }
        catch (CorruptObjectException c)
        {
            return c.Actual;
        }
    }

    /// <inheritdoc/>
    public void RemovePack(string name)
    {
        TryDelete(_packs.IndexPath(name));
        TryDelete(_packs.PackPath(name));
        _packs.Forget(name);
    }

    /// <summary>
    /// Writes the <c>Keep</c> objects of several packs (read and verified) into new packs of up to
    /// <paramref name="maxPackBytes"/>, then removes the old packs. The new packs are committed before any old one goes,
    /// so every object stays readable throughout (a reader holding an old location looks again: see ReadPacked), and a
    /// crash in between leaves duplicates that the next gc merges away. Objects that another pack holds are not copied.
    /// </summary>
    public void MergePacks(IReadOnlyList<(string Name, ContentId[] Keep)> packs, long maxPackBytes, CancellationToken ct = default)
    {
        var sources = packs.Select(p => _packs.PackPath(p.Name)).ToHashSet(StringComparer.Ordinal);
        var written = new HashSet<ContentId>();
        using (var w = new PackWriter(this, direct: false, maxBytes: maxPackBytes))
        {
            foreach (var (_, keep) in packs)
            {
                foreach (var id in keep)
                {
                    ct.ThrowIfCancellationRequested();
                    // Copied once, and only when no pack outside this merge holds it.
                    var elsewhere = _packs.TryLocate(id, out var at) && !sources.Contains(at.Pack);
                    if (!elsewhere && written.Add(id))
                    {
                        w.Add(Get(id), checkStore: false); // the writer starts a new pack past maxPackBytes
                    }
                }
            }

            w.Commit();
        }

        foreach (var (name, _) in packs)
        {
            RemovePack(name);
        }
    }

    /// <inheritdoc/>
    public Task DeleteAsync(ContentId id, CancellationToken ct = default)
    {
        TryDelete(PathOf(id));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public int CleanTemporary(TimeSpan age)
    {
        var removed = 0;
        var shardTemps = Directory.EnumerateDirectories(_root).Where(d => Path.GetFileName(d).Length == 2)
            .SelectMany(d => new DirectoryInfo(d).EnumerateFiles("*.tmp-*"));
        var packDir = new DirectoryInfo(_packs.Folder);
        // Pack leftovers: temporary files, and packs whose index was never written (the writer died in between).
        var packTemps = packDir.Exists
            ? packDir.EnumerateFiles("*.tmp-*").Concat(packDir.EnumerateFiles("*.pack").Where(p => !File.Exists(Path.ChangeExtension(p.FullName, ".idx"))))
            : [];
        foreach (var f in new DirectoryInfo(_tmp).EnumerateFiles().Concat(shardTemps).Concat(packTemps))
        {
            if (DateTime.UtcNow - f.LastWriteTimeUtc > age)
            {
                TryDelete(f.FullName);
                removed++;
            }
        }

        return removed;
    }

    // A write that finds its content already stored renews the object's time, so gc's grace period protects it
    // until the catalog row that will reference it is committed.
    private static void Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string TempPath() => Path.Combine(_tmp, Guid.NewGuid().ToString("N"));

    private static bool MoveIntoPlace(string tmp, string path)
    {
        try
        {
            // Not overwriting: a concurrent writer of the same content may have won; its file is identical.
            File.Move(tmp, path, overwrite: false);
            return true;
        }
        catch (IOException e) when (e is DirectoryNotFoundException or FileNotFoundException && File.Exists(tmp))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!); // the shard's first object (see Put)
            return MoveIntoPlace(tmp, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            TryDelete(tmp);
            return false;
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
        catch (UnauthorizedAccessException)
        {
        }
    }
}
