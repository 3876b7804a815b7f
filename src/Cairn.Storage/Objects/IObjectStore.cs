using Cairn.Core.Ids;

namespace Cairn.Storage.Objects;

/// <summary>
/// Content-addressed, immutable object storage. Ids are BLAKE3 hashes of the content; every read
/// verifies the hash, so corrupt or tampered objects are reported, never served. Two kinds exist: a folder in the
/// home (<see cref="LocalObjectStore"/>) and a bucket behind the S3 protocol (<see cref="S3ObjectStore"/>); both hold
/// loose objects and packs of many objects (<see cref="PackWriter"/>).
/// </summary>
public interface IObjectStore
{
    /// <summary>Where the objects live, for messages: a folder, or an <c>s3://bucket/prefix</c> location (never a secret).</summary>
    string Location { get; }

    /// <summary>Stores bytes (once: existing content is not written again) and returns their id.</summary>
    Task<ContentId> PutAsync(ReadOnlyMemory<byte> content, CancellationToken ct = default);

    /// <summary>Stores a stream's content, hashing while copying, and returns its id.</summary>
    Task<PutResult> PutStreamAsync(Stream content, CancellationToken ct = default);

    /// <summary>True when the object exists (its content is not checked).</summary>
    Task<bool> ContainsAsync(ContentId id, CancellationToken ct = default);

    /// <summary>Reads a whole object and verifies its id; throws <see cref="CorruptObjectException"/> or <see cref="MissingObjectException"/>.</summary>
    Task<byte[]> GetAsync(ContentId id, CancellationToken ct = default);

    /// <summary>Opens an object for reading; the stream verifies the id when it reaches the end and throws there on mismatch.</summary>
    Task<Stream> OpenReadAsync(ContentId id, CancellationToken ct = default);

    /// <summary>Lists every object (loose and packed) with its size and last write time.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(CancellationToken ct = default);

    /// <summary>Removes a loose object; no error when it does not exist. Packed objects go with their pack (<see cref="RemovePack"/>).</summary>
    Task DeleteAsync(ContentId id, CancellationToken ct = default);

    /// <summary>Stores bytes synchronously.</summary>
    PutResult Put(ReadOnlySpan<byte> content);

    /// <summary>Stores a stream synchronously, hashing while copying.</summary>
    PutResult PutStream(Stream content, CancellationToken ct = default);

    /// <summary>Stores a file's content; reads the file once.</summary>
    PutResult PutFile(string file, CancellationToken ct = default);

    /// <summary>True when the object is stored, loose or packed.</summary>
    bool Contains(ContentId id);

    /// <summary>Reads and verifies an object synchronously.</summary>
    byte[] Get(ContentId id);

    /// <summary>
    /// True when the object is stored (loose or packed) with <paramref name="size"/> bytes; renews its time so gc's
    /// grace period covers it until the catalog row that will reference it is committed. A remote store answers false
    /// for a loose object of another size (what an S3-protocol server may keep of an upload whose writer died), so the
    /// caller writes it again, whole, over it.
    /// </summary>
    bool TouchIfPresent(ContentId id, long size);

    /// <summary>
    /// Says that about <paramref name="count"/> objects are about to be written (an import), so a remote store can
    /// learn what it holds in a few requests rather than one per object; a hint only.
    /// </summary>
    void PrepareWrites(int count);

    /// <summary>Starts a pack for many objects written together (an import); commit it before referencing them.</summary>
    PackWriter BeginPack();

    /// <summary>Starts a pack for bulk writes of bytes that will not be read back soon (an import's images).</summary>
    PackWriter BeginDirectPack();

    /// <summary>A loose object's size and time, read now; null when it is not stored loose.</summary>
    StoredObject? StatLoose(ContentId id);

    /// <summary>The packs, with their objects, size and time, read now.</summary>
    IReadOnlyList<StoredPack> ListPacks();

    /// <summary>The id the stored bytes of an object hash to (its own id when whole); throws <see cref="MissingObjectException"/>.</summary>
    ContentId HashStored(ContentId id);

    /// <summary>Removes a pack: its index first (its objects vanish at once), then its data.</summary>
    void RemovePack(string name);

    /// <summary>
    /// Writes the <c>Keep</c> objects of several packs (read and verified) into new packs of up to
    /// <paramref name="maxPackBytes"/>, then removes the old packs; the new packs are committed before any old one goes.
    /// </summary>
    void MergePacks(IReadOnlyList<(string Name, ContentId[] Keep)> packs, long maxPackBytes, CancellationToken ct = default);

    /// <summary>Deletes leftovers of writers that died (temporary files, packs without an index, unfinished uploads) older than <paramref name="age"/>.</summary>
    int CleanTemporary(TimeSpan age);
}

/// <summary>The outcome of storing content: its id, size, and whether it was new to the store.</summary>
public readonly record struct PutResult(ContentId Id, long Size, bool Added);

/// <summary>An object as listed by the store.</summary>
public readonly record struct StoredObject(ContentId Id, long Size, DateTimeOffset LastWrite);

/// <summary>
/// A pack as listed by the store: its objects, and for each the bytes it holds there (0 where a newer pack holds the
/// object too, so removing this pack frees nothing for it).
/// </summary>
public sealed record StoredPack(string Name, ContentId[] Ids, long[] Lengths, long Size, DateTimeOffset LastWrite);

/// <summary>What a <see cref="PackWriter"/> needs from its store beyond <see cref="IObjectStore"/>.</summary>
internal interface IPackTarget : IObjectStore
{
    /// <summary>The local folder the writer builds a pack file in.</summary>
    string PackScratch { get; }

    /// <summary>Makes a finished pack file visible: its data first, then its index.</summary>
    void CommitPack(string name, string file, List<(ContentId Id, long Offset, long Length)> entries);
}
