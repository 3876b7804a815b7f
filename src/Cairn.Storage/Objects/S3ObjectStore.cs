using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Cairn.Core.Ids;

namespace Cairn.Storage.Objects;

/// <summary>
/// Objects in an S3 bucket (AWS, or any server that speaks the protocol), laid out like a home's objects folder under
/// the location's prefix: loose objects at <c>PREFIX/ab/cdef…</c>, packs at <c>PREFIX/packs/NAME.pack</c> with their
/// index at <c>PREFIX/packs/NAME.idx</c> (the format of <see cref="PackIndex"/>). A pack is uploaded before its index,
/// so a pack is either invisible or whole, as on disk. Every read re-hashes what it returns; packed objects are read
/// with ranged GETs. Credentials come from the AWS chain (environment, profile, instance role): Cairn never stores one.
/// The SDK's retry policy is set here (standard mode, <see cref="MaxErrorRetry"/> retries); packs and objects of
/// <see cref="MultipartThreshold"/> bytes or more are uploaded in parts.
/// </summary>
public sealed class S3ObjectStore : IPackTarget, IDisposable
{
    /// <summary>Retries of a failed request (throttling, 5xx, broken connections) before the error is raised.</summary>
    public const int MaxErrorRetry = 5;

    /// <summary>Uploads of at least this many bytes go in parts (one part per this many bytes).</summary>
    public const long MultipartThreshold = 16L << 20;

    // A pack index listing older than this is read again when an object is not found (other processes add packs).
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(5);

    // An object touched (its time renewed) by this process is not touched again within this time.
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(10);

    // A listing of the loose objects taken for a bulk write is trusted for absence this long (see PrepareWrites).
    private static readonly TimeSpan LooseListingFor = TimeSpan.FromMinutes(10);

    /// <summary>Bulk writes of fewer objects than this ask a HEAD for each; from here on, one listing may replace them.</summary>
    public const int LooseListingMin = 200;

    // Ids known to be stored loose (a HEAD found them, or this process put them): what a presigned URL may name.
    private readonly ConcurrentDictionary<ContentId, byte> _knownLoose = new();

    private readonly IAmazonS3 _s3;
    private readonly S3StoreLocation _location;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly string _scratch;
    private readonly ConcurrentDictionary<ContentId, (string Pack, long Offset, long Length)> _entries = new();
    private readonly ConcurrentDictionary<string, ContentId[]> _packs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTime> _touched = new(StringComparer.Ordinal);
    private readonly Lock _refresh = new();
    private DateTime _refreshedAt = DateTime.MinValue;
    private LooseListing? _loose;
    private Uri? _presignOrigin;

    private S3ObjectStore(S3StoreLocation location, IAmazonS3 s3, string scratch)
    {
        _location = location;
        _s3 = s3;
        _bucket = location.Bucket;
        _prefix = location.Prefix.Length == 0 ? string.Empty : location.Prefix + "/";
        _scratch = scratch;
    }

    /// <summary>
    /// Opens the store at <paramref name="location"/>, reading its pack indexes (which also checks that the bucket
    /// answers and accepts the credentials: <see cref="ObjectStoreAccessException"/> otherwise).
    /// <paramref name="scratch"/> is a local folder for packs being built. <paramref name="credentials"/> replaces the
    /// AWS chain (tests).
    /// </summary>
    public static S3ObjectStore Open(S3StoreLocation location, string scratch, AWSCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        var config = new AmazonS3Config
        {
            ForcePathStyle = location.PathStyle,
            MaxErrorRetry = MaxErrorRetry,
            RetryMode = RequestRetryMode.Standard,
            Timeout = TimeSpan.FromMinutes(5),
            // Checksums only where S3 requires them: trailing checksums are not understood by every S3-protocol server.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (location.Endpoint is not null)
        {
            config.ServiceURL = location.EndpointText;
            config.AuthenticationRegion = location.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(location.Region);
        }

        S3ObjectStore? store = null;
        try
        {
            var client = credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
            store = new S3ObjectStore(location, client, scratch);
            store.RefreshPacks();
            return store;
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            store?.Dispose();
            throw store?.Access(e) ?? Access(location, e);
        }
    }

    /// <summary>The location (no credentials in it).</summary>
    public S3StoreLocation S3 => _location;

    /// <inheritdoc/>
    public string Location => _location.ToString();

    string IPackTarget.PackScratch => _scratch;

    /// <summary>The key of a loose object.</summary>
    public string KeyOf(ContentId id)
    {
        var hex = id.ToString();
        return _prefix + hex[..2] + "/" + hex[2..];
    }

    /// <summary>The key of a pack's data.</summary>
    public string PackKey(string name) => _prefix + "packs/" + name + ".pack";

    /// <summary>The key of a pack's index.</summary>
    public string IndexKey(string name) => _prefix + "packs/" + name + ".idx";

    /// <summary>
    /// How long the server's presigned image URLs live (the location's <c>presign=SECONDS</c>); null when the server
    /// serves every image itself. With it, an import stores images as loose objects (<see cref="BeginDirectPack"/>).
    /// </summary>
    public TimeSpan? Presign => _location.Presign;

    /// <summary>
    /// The origin presigned URLs point at (<c>scheme://host:port</c>: the endpoint for path-style, the bucket's own host
    /// otherwise), for the pages' Content-Security-Policy; null when <see cref="Presign"/> is off.
    /// </summary>
    public Uri? PresignOrigin
    {
        get
        {
            if (Presign is null)
            {
                return null;
            }

            return _presignOrigin ??= new Uri(Sign(_prefix + "origin", TimeSpan.FromMinutes(1)).GetLeftPart(UriPartial.Authority));
        }
    }

    /// <summary>
    /// A URL that lets anyone holding it GET a loose object for <paramref name="validFor"/> (e.g. a browser fetching an
    /// image straight from the bucket); null for a packed or absent object, whose bytes are a range of a pack. The
    /// bytes fetched by the URL are the bucket's, not verified by Cairn.
    /// </summary>
    public Uri? PresignedUrl(ContentId id, TimeSpan validFor)
    {
        if (validFor <= TimeSpan.Zero || validFor > TimeSpan.FromDays(7))
        {
            throw new ArgumentOutOfRangeException(nameof(validFor), validFor, "expected more than zero and at most 7 days (S3's limit for signed URLs)");
        }

        if (_entries.ContainsKey(id))
        {
            return null;
        }

        // Loose objects are immutable and a referenced one stays: one HEAD per id and process is enough.
        if (!_knownLoose.ContainsKey(id))
        {
            if (Head(KeyOf(id)) is null)
            {
                return null;
            }

            KnownLoose(id);
        }

        return Sign(KeyOf(id), validFor);
    }

    /// <summary>
    /// Tells the store that about <paramref name="count"/> objects are about to be written (an import). From
    /// <see cref="LooseListingMin"/> objects on, one listing of the loose objects replaces a HEAD per object: an object
    /// absent from it is written without asking (at worst a second copy of one that another process stored loose a
    /// moment later), one present in it is renewed by the copy that a write of existing content makes anyway. A store
    /// too large to list in a tenth of the HEADs it would save is not listed.
    /// </summary>
    public void PrepareWrites(int count)
    {
        if (count < LooseListingMin || (_loose is { } current && DateTime.UtcNow - current.At < LooseListingFor / 2))
        {
            return;
        }

        var maxPages = Math.Max(1, count / 10);
        var ids = new Dictionary<ContentId, long>();
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix };
        var at = DateTime.UtcNow;
        for (var pages = 1; ; pages++)
        {
            var page = Run(() => _s3.ListObjectsV2Async(request));
            foreach (var o in page.S3Objects ?? [])
            {
                if (TryParseLooseKey(o.Key, out var id))
                {
                    ids[id] = o.Size ?? -1;
                }
            }

            if (page.IsTruncated != true)
            {
                break;
            }

            if (pages >= maxPages)
            {
                return;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }

        _loose = new LooseListing(ids, at);
    }

    /// <inheritdoc/>
    public Task<ContentId> PutAsync(ReadOnlyMemory<byte> content, CancellationToken ct = default) => Task.FromResult(Put(content.Span).Id);

    /// <inheritdoc/>
    public PutResult Put(ReadOnlySpan<byte> content)
    {
        var id = ContentId.Of(content);
        if (TouchIfPresent(id, content.Length))
        {
            return new PutResult(id, content.Length, false);
        }

        var bytes = content.ToArray();
        Run(() => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = KeyOf(id), InputStream = new MemoryStream(bytes, writable: false), UseChunkEncoding = false, ContentType = ContentTypeOf(bytes) }));
        Stored(id, bytes.Length);
        return new PutResult(id, bytes.Length, true);
    }

    /// <inheritdoc/>
    public Task<PutResult> PutStreamAsync(Stream content, CancellationToken ct = default) => Task.FromResult(PutStream(content, ct));

    /// <inheritdoc/>
    public PutResult PutStream(Stream content, CancellationToken ct = default)
    {
        // Hashed while copied to a local file: the key is the hash, known only at the end.
        Directory.CreateDirectory(_scratch);
        var tmp = Path.Combine(_scratch, "put.tmp-" + Guid.NewGuid().ToString("N"));
        try
        {
            ContentId id;
            long size = 0;
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 17);
            try
            {
                using var hasher = new ContentHasher();
                using var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
                int read;
                while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
                {
                    ct.ThrowIfCancellationRequested();
                    hasher.Update(buffer.AsSpan(0, read));
                    fs.Write(buffer, 0, read);
                    size += read;
                }

                id = hasher.Finish();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (TouchIfPresent(id, size))
            {
                return new PutResult(id, size, false);
            }

            Upload(KeyOf(id), tmp, size, ContentTypeOfFile(tmp), ct);
            Stored(id, size);
            return new PutResult(id, size, true);
        }
        finally
        {
            TryDelete(tmp);
        }
    }

    /// <inheritdoc/>
    public PutResult PutFile(string file, CancellationToken ct = default)
    {
        if (LocalObjectStore.StoreSmallFile(file, 8 << 20, Put) is { } put)
        {
            return put;
        }

        ContentId id;
        long size;
        using (var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            id = ContentHasher.HashStream(fs);
            size = fs.Length;
        }

        if (TouchIfPresent(id, size))
        {
            return new PutResult(id, size, false);
        }

        Upload(KeyOf(id), file, size, ContentTypeOfFile(file), ct);
        Stored(id, size);
        return new PutResult(id, size, true);
    }

    /// <inheritdoc/>
    public Task<bool> ContainsAsync(ContentId id, CancellationToken ct = default) => Task.FromResult(Contains(id));

    /// <inheritdoc/>
    public bool Contains(ContentId id) => _entries.ContainsKey(id) || Head(KeyOf(id)) is not null || LocatePacked(id, force: true, out _);

    /// <inheritdoc/>
    public bool TouchIfPresent(ContentId id, long size)
    {
        // False when the touch finds the object gone (gc removed it meanwhile): the caller stores it again.
        if (LocatePacked(id, force: false, out var at) && Touch(at.Pack))
        {
            return true;
        }

        var key = KeyOf(id);
        if (_loose is { } listing && DateTime.UtcNow - listing.At < LooseListingFor)
        {
            lock (listing.Ids)
            {
                // Listed with another size: what the server kept of an upload whose writer died (s3rver keeps the
                // bytes that arrived; S3 itself stores a PUT whole or not at all). Written again, whole, over it.
                if (!listing.Ids.TryGetValue(id, out var listed) || listed != size)
                {
                    return false;
                }
            }

            return Touch(key);
        }

        return Head(key) is { } head && head.ContentLength == size && Touch(key);
    }

    /// <inheritdoc/>
    public Task<byte[]> GetAsync(ContentId id, CancellationToken ct = default) => Task.FromResult(Get(id));

    /// <inheritdoc/>
    public byte[] Get(ContentId id)
    {
        var bytes = (_entries.ContainsKey(id) ? ReadPacked(id) : null)
            ?? ReadWhole(KeyOf(id))
            ?? ReadPacked(id)
            ?? throw new MissingObjectException(id);
        var actual = ContentId.Of(bytes);
        return actual == id ? bytes : throw new CorruptObjectException(id, actual);
    }

    /// <inheritdoc/>
    public Task<Stream> OpenReadAsync(ContentId id, CancellationToken ct = default)
    {
        if (!_entries.ContainsKey(id))
        {
            var response = Open(KeyOf(id), null);
            if (response is not null)
            {
                return Task.FromResult<Stream>(new VerifyingStream(new ResponseStream(response), id));
            }
        }

        // Packed objects are small (imports pack files up to 16 MB): read and verified whole.
        return Task.FromResult<Stream>(new MemoryStream(Get(id), writable: false));
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredObject> ListAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var o in ListKeysAsync(_prefix, ct).ConfigureAwait(false))
        {
            if (TryParseLooseKey(o.Key, out var id))
            {
                yield return new StoredObject(id, o.Size ?? 0, LastWrite(o.LastModified));
            }
        }

        foreach (var pack in ListPacks())
        {
            for (var i = 0; i < pack.Ids.Length; i++)
            {
                ct.ThrowIfCancellationRequested();
                if (_entries.TryGetValue(pack.Ids[i], out var at))
                {
                    yield return new StoredObject(pack.Ids[i], at.Length, pack.LastWrite);
                }
            }
        }
    }

    /// <inheritdoc/>
    public Task DeleteAsync(ContentId id, CancellationToken ct = default) =>
        RunAsync(() => _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = KeyOf(id) }, ct));

    /// <inheritdoc/>
    public PackWriter BeginPack() => new(this, direct: false);

    /// <inheritdoc/>
    /// <remarks>
    /// The pack is built in the scratch folder and uploaded on commit, so direct I/O buys nothing here. With
    /// <see cref="Presign"/> on, the writer stores each object loose instead (a PUT each), so the server can hand out
    /// a presigned URL for it: a plain URL cannot name a range of a pack.
    /// </remarks>
    public PackWriter BeginDirectPack() => new(this, direct: false, loose: Presign is not null);

    /// <inheritdoc/>
    public StoredObject? StatLoose(ContentId id) =>
        Head(KeyOf(id)) is { } m ? new StoredObject(id, m.ContentLength, LastWrite(m.LastModified)) : null;

    /// <inheritdoc/>
    public IReadOnlyList<StoredPack> ListPacks()
    {
        var listed = RefreshPacks();
        var list = new List<StoredPack>();
        foreach (var (name, ids) in _packs)
        {
            if (!listed.TryGetValue(PackKey(name), out var pack))
            {
                continue;
            }

            var key = PackKey(name);
            var lengths = ids.Select(id => _entries.TryGetValue(id, out var at) && at.Pack == key ? at.Length : 0).ToArray();
            list.Add(new StoredPack(name, ids, lengths, pack.Size ?? 0, LastWrite(pack.LastModified)));
        }

        return list;
    }

    /// <inheritdoc/>
    public ContentId HashStored(ContentId id)
    {
        if (!_entries.ContainsKey(id))
        {
            using var response = Open(KeyOf(id), null);
            if (response is not null)
            {
                return ContentHasher.HashStream(response.ResponseStream);
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
        Run(() => _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = IndexKey(name) }));
        Run(() => _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = PackKey(name) }));
        Forget(name);
    }

    /// <inheritdoc/>
    public void MergePacks(IReadOnlyList<(string Name, ContentId[] Keep)> packs, long maxPackBytes, CancellationToken ct = default)
    {
        var sources = packs.Select(p => PackKey(p.Name)).ToHashSet(StringComparer.Ordinal);
        var written = new HashSet<ContentId>();
        using (var w = new PackWriter(this, direct: false, maxBytes: maxPackBytes))
        {
            foreach (var (_, keep) in packs)
            {
                foreach (var id in keep)
                {
                    ct.ThrowIfCancellationRequested();
                    var elsewhere = _entries.TryGetValue(id, out var at) && !sources.Contains(at.Pack);
                    if (!elsewhere && written.Add(id))
                    {
                        w.Add(Get(id), checkStore: false);
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
    public int CleanTemporary(TimeSpan age)
    {
        var removed = 0;
        var cutoff = DateTime.UtcNow - age;
        if (Directory.Exists(_scratch))
        {
            foreach (var f in new DirectoryInfo(_scratch).EnumerateFiles().Where(f => f.LastWriteTimeUtc < cutoff))
            {
                TryDelete(f.FullName);
                removed++;
            }
        }

        // Packs whose index was never uploaded: the writer died in between.
        var listed = RefreshPacks();
        foreach (var (key, o) in listed)
        {
            if (key.EndsWith(".pack", StringComparison.Ordinal) && !listed.ContainsKey(key[..^".pack".Length] + ".idx") && LastWrite(o.LastModified) < cutoff)
            {
                Run(() => _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }));
                removed++;
            }
        }

        // Multipart uploads that were never completed keep their parts (and their cost) until aborted.
        ListMultipartUploadsResponse uploads;
        try
        {
            uploads = Run(() => _s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket, Prefix = _prefix }));
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NotImplemented")
        {
            return removed; // a server without the call (some S3-protocol servers): expire uploads with a bucket lifecycle rule instead
        }

        foreach (var u in uploads.MultipartUploads ?? [])
        {
            if ((u.Initiated ?? DateTime.MaxValue).ToUniversalTime() < cutoff)
            {
                Run(() => _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = u.Key, UploadId = u.UploadId }));
                removed++;
            }
        }

        return removed;
    }

    // The pack goes up first, its index second: an object is visible once the index exists.
    void IPackTarget.CommitPack(string name, string file, List<(ContentId Id, long Offset, long Length)> entries)
    {
        Upload(PackKey(name), file, new FileInfo(file).Length, "application/octet-stream", CancellationToken.None);
        var index = PackIndex.EncodeIndex(entries);
        Run(() => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = IndexKey(name), InputStream = new MemoryStream(index, writable: false), UseChunkEncoding = false }));
        Add(name, entries);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _s3.Dispose();
    }

    // Where a packed object lies, re-reading the pack listing when it may be stale (always with force).
    private bool LocatePacked(ContentId id, bool force, out (string Pack, long Offset, long Length) at)
    {
        if (_entries.TryGetValue(id, out at))
        {
            return true;
        }

        if (force || DateTime.UtcNow - _refreshedAt > RefreshAfter)
        {
            RefreshPacks();
        }

        return _entries.TryGetValue(id, out at);
    }

    // Lists the packs folder, loads new indexes and forgets removed ones; returns the listing by key.
    private Dictionary<string, S3Object> RefreshPacks()
    {
        lock (_refresh)
        {
            var listed = new Dictionary<string, S3Object>(StringComparer.Ordinal);
            foreach (var o in ListKeysAsync(_prefix + "packs/", CancellationToken.None).ToBlockingEnumerable())
            {
                listed[o.Key] = o;
            }

            _refreshedAt = DateTime.UtcNow;
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var key in listed.Keys.Where(k => k.EndsWith(".idx", StringComparison.Ordinal)))
            {
                var name = key[(_prefix.Length + "packs/".Length)..^".idx".Length];
                present.Add(name);
                if (!_packs.ContainsKey(name))
                {
                    Load(name, key);
                }
            }

            foreach (var gone in _packs.Keys.Where(k => !present.Contains(k)).ToList())
            {
                Forget(gone);
            }

            return listed;
        }
    }

    private void Load(string name, string key)
    {
        var bytes = ReadWhole(key);
        if (bytes is null)
        {
            return; // removed between listing and reading (gc)
        }

        try
        {
            Add(name, PackIndex.DecodeIndex($"{Location} {key}", bytes));
        }
        catch (InvalidDataException)
        {
            // A damaged index makes its objects missing, which fsck reports through the references to them.
            _packs[name] = [];
        }
    }

    private void Add(string name, IReadOnlyList<(ContentId Id, long Offset, long Length)> entries)
    {
        var key = PackKey(name);
        foreach (var (id, offset, length) in entries)
        {
            _entries[id] = (key, offset, length); // the newest pack wins, as on disk
        }

        _packs[name] = entries.Select(e => e.Id).ToArray();
    }

    private void Forget(string name)
    {
        if (_packs.TryRemove(name, out var ids))
        {
            var key = PackKey(name);
            foreach (var id in ids)
            {
                if (_entries.TryGetValue(id, out var at) && at.Pack == key)
                {
                    _entries.TryRemove(id, out _);
                }
            }
        }
    }

    // A packed object's bytes (not verified) by a ranged GET, or null when no pack holds it. An unknown id, or a pack
    // removed under us (gc merged it), sends us to the listing once more.
    private byte[]? ReadPacked(ContentId id)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            // The second look lists the packs again: another process may have committed the pack a moment ago.
            if (!LocatePacked(id, force: attempt > 0, out var at))
            {
                continue;
            }

            if (at.Length == 0)
            {
                return [];
            }

            using var response = Open(at.Pack, new ByteRange(at.Offset, at.Offset + at.Length - 1));
            if (response is not null)
            {
                return ReadAll(response, at.Length);
            }

            Forget(at.Pack[(_prefix.Length + "packs/".Length)..^".pack".Length]);
        }

        return null;
    }

    private byte[]? ReadWhole(string key)
    {
        using var response = Open(key, null);
        return response is null ? null : ReadAll(response, response.ContentLength);
    }

    private static byte[] ReadAll(GetObjectResponse response, long length)
    {
        var bytes = new byte[length];
        var read = response.ResponseStream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        return read == bytes.Length ? bytes : bytes[..read]; // a short body fails verification as corrupt
    }

    // A GET (of a range), or null when the key does not exist.
    private GetObjectResponse? Open(string key, ByteRange? range)
    {
        try
        {
            return Run(() => _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = key, ByteRange = range }));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
    }

    // A HEAD, or null when the key does not exist.
    private GetObjectMetadataResponse? Head(string key)
    {
        try
        {
            return Run(() => _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = key }));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
    }

    // Renews an object's time so gc's grace period covers it: S3 has no touch, so the object is copied onto itself
    // with new metadata (a server-side copy, no bytes through this process). Once per TouchEvery per key.
    private bool Touch(string key)
    {
        var now = DateTime.UtcNow;
        if (_touched.TryGetValue(key, out var last) && now - last < TouchEvery)
        {
            return true;
        }

        var copy = new CopyObjectRequest
        {
            SourceBucket = _bucket,
            SourceKey = key,
            DestinationBucket = _bucket,
            DestinationKey = key,
            MetadataDirective = S3MetadataDirective.REPLACE,
        };
        copy.Metadata.Add("cairn-touched", now.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            Run(() => _s3.CopyObjectAsync(copy));
            _touched[key] = now;
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Removed meanwhile (gc): the caller writes it again.
            return false;
        }
    }

    // A loose object this process has just stored: presignable, and present for the bulk-write listing.
    private void Stored(ContentId id, long size)
    {
        KnownLoose(id);
        if (_loose is { } listing)
        {
            lock (listing.Ids)
            {
                listing.Ids[id] = size;
            }
        }
    }

    private void KnownLoose(ContentId id)
    {
        if (_knownLoose.Count > 200_000)
        {
            _knownLoose.Clear(); // a bound on memory: forgotten ids cost one HEAD more
        }

        _knownLoose.TryAdd(id, 0);
    }

    private Uri Sign(string key, TimeSpan validFor) => new(_s3.GetPreSignedURL(new GetPreSignedUrlRequest
    {
        BucketName = _bucket,
        Key = key,
        Verb = HttpVerb.GET,
        Expires = DateTime.UtcNow + validFor,
        Protocol = _location.Endpoint?.Scheme == "http" ? Protocol.HTTP : Protocol.HTTPS,
    }));

    // Stored with the object so a browser sent to the bucket gets an image type (S3 answers with what was stored).
    private static string ContentTypeOf(ReadOnlySpan<byte> b) =>
        b.Length > 3 && b[0] == 0xFF && b[1] == 0xD8 ? "image/jpeg"
        : b.Length > 8 && b[0] == 0x89 && b[1] == (byte)'P' && b[2] == (byte)'N' && b[3] == (byte)'G' ? "image/png"
        : b.Length > 12 && b[0] == (byte)'R' && b[1] == (byte)'I' && b[8] == (byte)'W' && b[9] == (byte)'E' ? "image/webp"
        : b.Length > 2 && b[0] == (byte)'B' && b[1] == (byte)'M' ? "image/bmp"
        : "application/octet-stream";

    private static string ContentTypeOfFile(string file)
    {
        Span<byte> head = stackalloc byte[16];
        using var handle = File.OpenHandle(file);
        return ContentTypeOf(head[..RandomAccess.Read(handle, head, 0)]);
    }

    // A listing of the loose objects for a bulk write, and when it was taken (ids added as this process stores them).
    private sealed record LooseListing(Dictionary<ContentId, long> Ids, DateTime At);

    private void Upload(string key, string file, long size, string contentType, CancellationToken ct)
    {
        if (size < MultipartThreshold)
        {
            Run(() => _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, FilePath = file, UseChunkEncoding = false, ContentType = contentType }, ct));
            return;
        }

        // In parts, each a request of its own that the SDK retries; an upload that fails is aborted, and one whose
        // process died is aborted by gc (CleanTemporary).
        var upload = Run(() => _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key, ContentType = contentType }, ct));
        try
        {
            var parts = new List<PartETag>();
            for (long offset = 0, number = 1; offset < size; offset += MultipartThreshold, number++)
            {
                var part = new UploadPartRequest
                {
                    BucketName = _bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = (int)number,
                    FilePath = file,
                    FilePosition = offset,
                    PartSize = Math.Min(MultipartThreshold, size - offset),
                    UseChunkEncoding = false,
                };
                var done = Run(() => _s3.UploadPartAsync(part, ct));
                parts.Add(new PartETag((int)number, done.ETag));
            }

            Run(() => _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartETags = parts }, ct));
        }
        catch
        {
            try
            {
                Run(() => _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId }, CancellationToken.None));
            }
            catch (Exception e) when (e is AmazonServiceException or ObjectStoreAccessException)
            {
                // Left for gc: the original error is the one to report.
            }

            throw;
        }
    }

    private async IAsyncEnumerable<S3Object> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix };
        while (true)
        {
            var page = await RunAsync(() => _s3.ListObjectsV2Async(request, ct)).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
            {
                yield return o;
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    private bool TryParseLooseKey(string key, out ContentId id)
    {
        id = default;
        var rest = key.AsSpan(_prefix.Length);
        return rest.Length > 3 && rest[2] == '/' && ContentId.TryParse(string.Concat(rest[..2], rest[3..]), out id);
    }

    private static DateTimeOffset LastWrite(DateTime? modified) =>
        modified is { } m ? new DateTimeOffset(m.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue;

    private T Run<T>(Func<Task<T>> call) => RunAsync(call).GetAwaiter().GetResult();

    private void Run(Func<Task> call) => RunAsync(async () =>
    {
        await call().ConfigureAwait(false);
        return 0;
    }).GetAwaiter().GetResult();

    private async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (IsAccess(e))
        {
            throw Access(e);
        }
    }

    private async Task RunAsync(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception e) when (IsAccess(e))
        {
            throw Access(e);
        }
    }

    private static bool IsAccess(Exception e) => e switch
    {
        AmazonS3Exception s => s.StatusCode == HttpStatusCode.Forbidden || s.ErrorCode is "NoSuchBucket" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "AccessDenied" or "ExpiredToken",
        AmazonServiceException => false,
        AmazonClientException or HttpRequestException => true,
        _ => false,
    };

    private ObjectStoreAccessException Access(Exception e) => Access(_location, e);

    private static ObjectStoreAccessException Access(S3StoreLocation location, Exception e)
    {
        var where = $"S3 bucket '{location.Bucket}' at {location.EndpointText}";
        return e switch
        {
            AmazonS3Exception { ErrorCode: "NoSuchBucket" } =>
                new(ObjectStoreAccessProblem.NoSuchBucket, location.EndpointText, location.Bucket, $"{where}: the bucket does not exist", e),
            AmazonServiceException s =>
                new(ObjectStoreAccessProblem.Credentials, location.EndpointText, location.Bucket, $"{where}: the server refused the credentials ({s.ErrorCode}: {s.Message})", e),
            HttpRequestException or AmazonClientException { InnerException: HttpRequestException } =>
                new(ObjectStoreAccessProblem.Unreachable, location.EndpointText, location.Bucket, $"{where}: the endpoint did not answer ({e.InnerException?.Message ?? e.Message})", e),
            _ =>
                new(ObjectStoreAccessProblem.Credentials, location.EndpointText, location.Bucket, $"{where}: no usable credentials ({e.Message})", e),
        };
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

    // A GET's body that disposes its response with it.
    private sealed class ResponseStream(GetObjectResponse response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.ContentLength;

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => response.ResponseStream.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => response.ResponseStream.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => response.ResponseStream.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
