using Cairn.Core.Ids;

namespace Cairn.Storage.Objects;

/// <summary>
/// Content-addressed, immutable object storage. Ids are BLAKE3 hashes of the content; every read
/// verifies the hash, so corrupt or tampered objects are reported, never served.
/// </summary>
public interface IObjectStore
{
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

    /// <summary>Lists every object with its size and last write time.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(CancellationToken ct = default);

    /// <summary>Removes an object; no error when it does not exist.</summary>
    Task DeleteAsync(ContentId id, CancellationToken ct = default);
}

/// <summary>The outcome of storing content: its id, size, and whether it was new to the store.</summary>
public readonly record struct PutResult(ContentId Id, long Size, bool Added);

/// <summary>An object as listed by the store.</summary>
public readonly record struct StoredObject(ContentId Id, long Size, DateTimeOffset LastWrite);
