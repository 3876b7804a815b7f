using System.Buffers;
using System.Runtime.CompilerServices;
using Cairn.Core.Ids;

namespace Cairn.Storage.Objects;

/// <summary>
/// Objects as files under <c>root/ab/cdef…</c>. Writes go to <c>root/tmp</c> first and are renamed
/// into place, so an object is either absent or whole, whatever moment the process dies.
/// </summary>
public sealed class LocalObjectStore : IObjectStore
{
    private const int BufferSize = 1 << 17;
    private readonly string _root;
    private readonly string _tmp;

    /// <summary>Opens (creating when needed) a store in <paramref name="root"/>.</summary>
    public LocalObjectStore(string root)
    {
        _root = Path.GetFullPath(root);
        _tmp = Path.Combine(_root, "tmp");
        Directory.CreateDirectory(_tmp);

        // All 256 shard folders exist up front, so a write never needs a mkdir (or an lstat walk) first.
        if (!File.Exists(Path.Combine(_root, "shards.ok")))
        {
            for (var i = 0; i < 256; i++)
            {
                Directory.CreateDirectory(Path.Combine(_root, i.ToString("x2")));
            }

            File.WriteAllText(Path.Combine(_root, "shards.ok"), "256\n");
        }
    }

    /// <summary>The folder holding the objects.</summary>
    public string Root => _root;

    /// <summary>Path of the file holding an object.</summary>
    public string PathOf(ContentId id)
    {
        var hex = id.ToString();
        return Path.Combine(_root, hex[..2], hex[2..]);
    }

    /// <inheritdoc/>
    public Task<ContentId> PutAsync(ReadOnlyMemory<byte> content, CancellationToken ct = default) =>
        Task.FromResult(Put(content.Span).Id);

    /// <summary>Stores bytes synchronously.</summary>
    public PutResult Put(ReadOnlySpan<byte> content)
    {
        var id = ContentId.Of(content);
        var path = PathOf(id);
        if (File.Exists(path))
        {
            Touch(path);
            return new PutResult(id, content.Length, false);
        }

        // The temporary file sits next to its final name: the rename stays inside one folder, and
        // parallel writers spread over 256 folders instead of contending for one.
        var tmp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var handle = File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
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

    /// <summary>Stores a stream synchronously, hashing while copying.</summary>
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
            if (File.Exists(path))
            {
                TryDelete(tmp);
                Touch(path);
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

    /// <summary>Stores a file's content; reads the file once.</summary>
    public PutResult PutFile(string file, CancellationToken ct = default)
    {
        using (var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            var length = RandomAccess.GetLength(handle);
            if (length <= 8 << 20)
            {
                // Small files: one read into a pooled buffer, hash, write: a handful of syscalls per file.
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

                    return Put(buffer.AsSpan(0, read));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }

        using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return PutStream(fs, ct);
    }

    /// <inheritdoc/>
    public Task<bool> ContainsAsync(ContentId id, CancellationToken ct = default) => Task.FromResult(File.Exists(PathOf(id)));

    /// <inheritdoc/>
    public Task<byte[]> GetAsync(ContentId id, CancellationToken ct = default) => Task.FromResult(Get(id));

    /// <summary>Reads and verifies an object synchronously.</summary>
    public byte[] Get(ContentId id)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(PathOf(id));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MissingObjectException(id);
        }

        var actual = ContentId.Of(bytes);
        if (actual != id)
        {
            throw new CorruptObjectException(id, actual);
        }

        return bytes;
    }

    /// <inheritdoc/>
    public Task<Stream> OpenReadAsync(ContentId id, CancellationToken ct = default)
    {
        FileStream fs;
        try
        {
            fs = new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MissingObjectException(id);
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
    }

    /// <inheritdoc/>
    public Task DeleteAsync(ContentId id, CancellationToken ct = default)
    {
        TryDelete(PathOf(id));
        return Task.CompletedTask;
    }

    /// <summary>Deletes temporary files older than <paramref name="age"/>: leftovers of writers that died.</summary>
    public int CleanTemporary(TimeSpan age)
    {
        var removed = 0;
        var shardTemps = Directory.EnumerateDirectories(_root).Where(d => Path.GetFileName(d).Length == 2)
            .SelectMany(d => new DirectoryInfo(d).EnumerateFiles("*.tmp-*"));
        foreach (var f in new DirectoryInfo(_tmp).EnumerateFiles().Concat(shardTemps))
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
