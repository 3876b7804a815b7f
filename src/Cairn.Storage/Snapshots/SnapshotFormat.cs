namespace Cairn.Storage.Snapshots;

/// <summary>
/// Constants of the snapshot node format. Every node is <c>"CRNT" + version byte + kind byte + zstd frame of the body</c>.
/// Changing any value here, the body layout or the chunking rule changes stored ids: that needs a new <see cref="Version"/>.
/// </summary>
public static class SnapshotFormat
{
    /// <summary>The four magic bytes that open every node: "CRNT" (Cairn tree).</summary>
    public static ReadOnlySpan<byte> Magic => "CRNT"u8;

    /// <summary>
    /// Format version 1: root, index and leaf nodes. Every snapshot without a delta is written in version 1, byte for
    /// byte as before version 2 existed.
    /// </summary>
    public const byte Version = 1;

    /// <summary>
    /// Format version 2 adds delta nodes (kind 4) and roots whose datasets may name one: a dataset is then its tree
    /// with the delta's entries laid over it. Only those two node kinds are written in version 2.
    /// </summary>
    public const byte DeltaVersion = 2;

    /// <summary>Length of the uncompressed header: magic, version, kind.</summary>
    public const int HeaderSize = 6;

    /// <summary>zstd level of node bodies; part of the format because node ids hash the compressed bytes.</summary>
    public const int CompressionLevel = 3;

    /// <summary>A leaf page ends after an item whose key hash has these low bits all zero (average 16 items a page).</summary>
    public const ulong LeafBoundaryMask = 15;

    /// <summary>A leaf page never holds more items than this.</summary>
    public const int LeafMaxEntries = 64;

    /// <summary>An index page ends after a child whose last-key hash (salted by level) has these low bits zero (average 64).</summary>
    public const ulong IndexBoundaryMask = 63;

    /// <summary>An index page never holds more children than this.</summary>
    public const int IndexMaxEntries = 256;

    /// <summary>
    /// The key hash that places page boundaries: FNV-1a 64 over the UTF-8 key, salted with the tree level,
    /// finished with the SplitMix64 mixer. Pinned by golden tests.
    /// </summary>
    public static ulong KeyHash(ReadOnlySpan<byte> utf8Key, int level)
    {
        var h = 14695981039346656037UL ^ (ulong)level * 0x9E3779B97F4A7C15UL;
        foreach (var b in utf8Key)
        {
            h ^= b;
            h *= 1099511628211UL;
        }

        h ^= h >> 30;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 27;
        h *= 0x94D049BB133111EBUL;
        h ^= h >> 31;
        return h;
    }
}
