using System.Security.Cryptography;
using System.Text.Json;
using Cairn.Core.Formats.Archives;

namespace Cairn.Server.Uploads;

/// <summary>
/// Resumable uploads under the home's <c>tmp/uploads/ID/</c>: <c>session.json</c>, then each chunk as
/// <c>chunks/F-N</c>, written to a temporary name and renamed once its SHA-256 matched the one the client sent, so a
/// chunk is either whole and verified or absent. <see cref="Assemble"/> joins the chunks into <c>data/</c> once all are
/// there. Sessions expire <see cref="Lifetime"/> after they start; <see cref="Sweep"/> removes expired ones and those whose
/// import task has ended.
/// </summary>
public sealed class UploadStore(string home, TimeProvider clock)
{
    /// <summary>The session format version written in <c>session.json</c>.</summary>
    public const int FormatVersion = 1;

    /// <summary>The chunk size the browser uses unless it asks for another (8 MiB).</summary>
    public const long DefaultChunkSize = 8L * 1024 * 1024;

    /// <summary>The smallest chunk size accepted (64 KiB).</summary>
    public const long MinChunkSize = 64L * 1024;

    /// <summary>The largest chunk size accepted (32 MiB: a request body stays under Kestrel's default limit).</summary>
    public const long MaxChunkSize = 32L * 1024 * 1024;

    /// <summary>The most files one upload may announce.</summary>
    public const int MaxFiles = 100_000;

    /// <summary>How long a session lives after it starts.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The folder holding every session.</summary>
    public string Root { get; } = Path.Combine(home, "tmp", "uploads");

    /// <summary>The largest total an upload may announce (20 GiB, the archive limit of an import).</summary>
    public long MaxTotalBytes { get; init; } = 20L * 1024 * 1024 * 1024;

    /// <summary>Starts a session for <paramref name="files"/>, owned by <paramref name="owner"/>; the error names the bad field (null when accepted).</summary>
    public (UploadSession? Session, string? Error) Create(IReadOnlyList<(string Path, long Size)> files, long? chunkSize, string owner)
    {
        var size = chunkSize ?? DefaultChunkSize;
        if (size < MinChunkSize || size > MaxChunkSize)
        {
            return (null, $"chunkSize: expected {MinChunkSize} to {MaxChunkSize} bytes, got {size}");
        }

        if (files.Count == 0 || files.Count > MaxFiles)
        {
            return (null, $"files: expected 1 to {MaxFiles} files, got {files.Count}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        var list = new List<UploadFile>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            var (path, length) = files[i];
            if (CleanPath(path) is not { } clean)
            {
                return (null, $"files[{i}].path: expected a relative path without '..', '.', empty parts, a drive or control characters, got '{path}'");
            }

            if (!seen.Add(clean))
            {
                return (null, $"files[{i}].path: '{clean}' is given twice");
            }

            if (length < 0)
            {
                return (null, $"files[{i}].size: expected 0 or more bytes, got {length}");
            }

            total += length;
            if (total > MaxTotalBytes)
            {
                return (null, $"files: expected at most {MaxTotalBytes} bytes in all, the files add up to more");
            }

            list.Add(new UploadFile(clean, length, (int)Math.Max(1, (length + size - 1) / size)));
        }

        // The path of each file must not also be the folder of another ("a" and "a/b.jpg").
        foreach (var f in list)
        {
            if (seen.Contains(f.Path.Contains('/') ? f.Path[..f.Path.LastIndexOf('/')] : string.Empty))
            {
                return (null, $"files: '{f.Path}' lies in a folder that is also given as a file");
            }
        }

        Sweep(_ => false);
        var now = clock.GetUtcNow().UtcDateTime;
        var session = new UploadSession(FormatVersion, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), size, list, now, now + Lifetime, null, owner);
        Directory.CreateDirectory(Path.Combine(Dir(session.Id), "chunks"));
        Save(session);
        return (session, null);
    }

    /// <summary>The session with this id when <paramref name="owner"/> started it, or null when there is none, it expired or it is someone else's.</summary>
    public UploadSession? Get(string id, string owner) => Get(id) is { } s && string.Equals(s.Owner, owner, StringComparison.Ordinal) ? s : null;

    /// <summary>The session with this id, or null when there is none (or it expired).</summary>
    public UploadSession? Get(string id)
    {
        if (!IsId(id) || !File.Exists(Path.Combine(Dir(id), "session.json")))
        {
            return null;
        }

        var s = JsonSerializer.Deserialize<UploadSession>(File.ReadAllBytes(Path.Combine(Dir(id), "session.json")), Json);
        return s is null || s.ExpiresAt < clock.GetUtcNow().UtcDateTime ? null : s;
    }

    /// <summary>The chunk numbers of file <paramref name="file"/> that are stored and verified.</summary>
    public IReadOnlyList<int> Received(UploadSession session, int file)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (IsAssembled(session))
        {
            return Enumerable.Range(0, session.Files[file].Chunks).ToList();
        }

        var result = new List<int>();
        for (var n = 0; n < session.Files[file].Chunks; n++)
        {
            if (File.Exists(ChunkPath(session.Id, file, n)))
            {
                result.Add(n);
            }
        }

        return result;
    }

    /// <summary>The bytes chunk <paramref name="chunk"/> of file <paramref name="file"/> must have.</summary>
    public static long ChunkLength(UploadSession session, int file, int chunk)
    {
        ArgumentNullException.ThrowIfNull(session);
        var f = session.Files[file];
        return Math.Min(session.ChunkSize, f.Size - (chunk * session.ChunkSize));
    }

    /// <summary>
    /// Stores one chunk read from <paramref name="body"/> when its length and SHA-256 are right; otherwise stores nothing
    /// and says what was wrong, naming the field.
    /// </summary>
    public async Task<string?> PutChunkAsync(UploadSession session, int file, int chunk, string sha256Hex, Stream body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(body);
        if (IsAssembled(session))
        {
            return $"chunk: upload {session.Id} is complete and joined already; nothing more is needed";
        }

        var expected = ChunkLength(session, file, chunk);
        var final = ChunkPath(session.Id, file, chunk);
        var tmp = final + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + ".tmp";
        try
        {
            long written = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var output = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true))
            {
                var buffer = new byte[81920];
                int n;
                while ((n = await body.ReadAsync(buffer, ct)) > 0)
                {
                    written += n;
                    if (written > expected)
                    {
                        return $"body: expected {expected} bytes for chunk {chunk} of '{session.Files[file].Path}', got more";
                    }

                    hash.AppendData(buffer, 0, n);
                    await output.WriteAsync(buffer.AsMemory(0, n), ct);
                }

                await output.FlushAsync(ct);
            }

            if (written != expected)
            {
                return $"body: expected {expected} bytes for chunk {chunk} of '{session.Files[file].Path}', got {written}";
            }

            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.Equals(actual, sha256Hex, StringComparison.OrdinalIgnoreCase))
            {
                return $"X-Chunk-SHA256: the chunk's SHA-256 is {actual}, the header says {sha256Hex}; the chunk was damaged on the way and is not kept: send it again";
            }

            File.Move(tmp, final, overwrite: true);
            return null;
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    /// <summary>The chunks not yet stored, as "path#N", the first few of them (empty when the upload is complete).</summary>
    public IReadOnlyList<string> Missing(UploadSession session, int atMost = 10)
    {
        ArgumentNullException.ThrowIfNull(session);
        var missing = new List<string>();
        if (IsAssembled(session))
        {
            return missing;
        }

        for (var f = 0; f < session.Files.Count && missing.Count < atMost; f++)
        {
            for (var n = 0; n < session.Files[f].Chunks && missing.Count < atMost; n++)
            {
                if (!File.Exists(ChunkPath(session.Id, f, n)))
                {
                    missing.Add($"{session.Files[f].Path}#{n}");
                }
            }
        }

        return missing;
    }

    /// <summary>
    /// Joins every file's chunks under <c>data/</c> and returns what an import reads: the one archive uploaded, else the
    /// folder (the single top folder when every file lies in one). Call only when <see cref="Missing"/> is empty.
    /// </summary>
    public string Assemble(UploadSession session, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        var data = Path.Combine(Dir(session.Id), "data");
        for (var f = 0; f < session.Files.Count && !IsAssembled(session); f++)
        {
            var target = Path.Combine(data, session.Files[f].Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var output = File.Create(target);
            for (var n = 0; n < session.Files[f].Chunks; n++)
            {
                ct.ThrowIfCancellationRequested();
                using var input = File.OpenRead(ChunkPath(session.Id, f, n));
                input.CopyTo(output);
            }
        }

        // The chunks are not needed once joined: the disk holds the upload once, not twice. An import refused after this
        // (a name taken, say) can be asked for again: the joined files stay until the session expires.
        if (!IsAssembled(session))
        {
            Directory.Delete(Path.Combine(Dir(session.Id), "chunks"), recursive: true);
        }

        if (session.Files.Count == 1 && ArchiveExtractor.Detect(Path.Combine(data, session.Files[0].Path)) != ArchiveKind.None)
        {
            return Path.Combine(data, session.Files[0].Path);
        }

        var tops = session.Files.Select(f => f.Path.Split('/')[0]).Distinct(StringComparer.Ordinal).ToList();
        return tops.Count == 1 && session.Files.All(f => f.Path.Contains('/')) ? Path.Combine(data, tops[0]) : data;
    }

    /// <summary>Records the import task the upload became.</summary>
    public void SetTask(UploadSession session, long taskId) => Save(session with { TaskId = taskId });

    /// <summary>Removes a session and everything uploaded to it.</summary>
    public bool Delete(string id)
    {
        if (!IsId(id) || !Directory.Exists(Dir(id)))
        {
            return false;
        }

        Directory.Delete(Dir(id), recursive: true);
        return true;
    }

    /// <summary>Removes expired sessions, unreadable ones, and those whose task <paramref name="taskEnded"/> says has ended.</summary>
    public int Sweep(Func<long, bool> taskEnded)
    {
        ArgumentNullException.ThrowIfNull(taskEnded);
        if (!Directory.Exists(Root))
        {
            return 0;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var removed = 0;
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            UploadSession? s = null;
            try
            {
                s = JsonSerializer.Deserialize<UploadSession>(File.ReadAllBytes(Path.Combine(dir, "session.json")), Json);
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // A session being created has no session.json for an instant: only one past its lifetime is garbage.
                if (Directory.GetCreationTimeUtc(dir) > now - Lifetime)
                {
                    continue;
                }
            }

            if (s is null || s.ExpiresAt < now || (s.TaskId is { } t && taskEnded(t)))
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                    removed++;
                }
                catch (IOException)
                {
                    // Another process removes it at the same time, or a file is still open: the next sweep retries.
                }
            }
        }

        return removed;
    }

    /// <summary>A clean relative path, or null when it is absolute, climbs out, or has empty or odd parts.</summary>
    public static string? CleanPath(string path)
    {
        if (string.IsNullOrEmpty(path) || path.Length > 1024)
        {
            return null;
        }

        var p = path.Replace('\\', '/');
        if (p.StartsWith('/') || (p.Length >= 2 && p[1] == ':'))
        {
            return null;
        }

        var parts = p.Split('/');
        return parts.All(s => s.Length > 0 && s != "." && s != ".." && !s.Any(char.IsControl)) ? string.Join('/', parts) : null;
    }

    private bool IsAssembled(UploadSession session) =>
        !Directory.Exists(Path.Combine(Dir(session.Id), "chunks")) && Directory.Exists(Path.Combine(Dir(session.Id), "data"));

    private static bool IsId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    private string Dir(string id) => Path.Combine(Root, id);

    private string ChunkPath(string id, int file, int chunk) => Path.Combine(Dir(id), "chunks", $"{file}-{chunk}");

    private void Save(UploadSession session)
    {
        var path = Path.Combine(Dir(session.Id), "session.json");
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, JsonSerializer.SerializeToUtf8Bytes(session, Json));
        File.Move(tmp, path, overwrite: true);
    }
}
