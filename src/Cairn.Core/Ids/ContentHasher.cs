namespace Cairn.Core.Ids;

/// <summary>Incremental BLAKE3 hashing of streamed content.</summary>
public sealed class ContentHasher : IDisposable
{
    private Blake3.Hasher _hasher = Blake3.Hasher.New();

    /// <summary>Adds bytes to the hash.</summary>
    public void Update(ReadOnlySpan<byte> data)
    {
        // Blake3's own multi-threading pays off only on large buffers.
        if (data.Length >= 1 << 20)
        {
            _hasher.UpdateWithJoin(data);
        }
        else
        {
            _hasher.Update(data);
        }
    }

    /// <summary>The id of everything added so far.</summary>
    public ContentId Finish()
    {
        Span<byte> hash = stackalloc byte[ContentId.Size];
        _hasher.Finalize(hash);
        return ContentId.FromBytes(hash);
    }

    /// <summary>Hashes a whole stream.</summary>
    public static ContentId HashStream(Stream stream)
    {
        using var hasher = new ContentHasher();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                hasher.Update(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return hasher.Finish();
    }

    /// <inheritdoc/>
    public void Dispose() => _hasher.Dispose();
}
