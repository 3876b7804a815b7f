using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Cairn.Core.Ids;

/// <summary>A 256-bit BLAKE3 hash naming an immutable object by its content.</summary>
public readonly struct ContentId : IEquatable<ContentId>, IComparable<ContentId>
{
    /// <summary>Length of an id in bytes.</summary>
    public const int Size = 32;

    private readonly Bytes32 _bytes;

    private ContentId(ReadOnlySpan<byte> bytes) => bytes.CopyTo(_bytes);

    /// <summary>Creates an id from its 32 raw bytes.</summary>
    public static ContentId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A content id has {Size} bytes, got {bytes.Length}.", nameof(bytes));
        }

        return new ContentId(bytes);
    }

    /// <summary>Hashes <paramref name="content"/> with BLAKE3.</summary>
    public static ContentId Of(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[Size];
        Blake3.Hasher.Hash(content, hash);
        return new ContentId(hash);
    }

    /// <summary>The raw bytes.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>True for the all-zero id, which no content hashes to in practice and marks "none".</summary>
    public bool IsEmpty => ((ReadOnlySpan<byte>)_bytes).IndexOfAnyExcept((byte)0) < 0;

    /// <summary>Writes the raw bytes into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination) => Bytes.CopyTo(destination);

    /// <summary>Lower-case hexadecimal, 64 characters.</summary>
    public override string ToString() => Convert.ToHexStringLower(Bytes);

    /// <summary>Parses 64 hexadecimal characters.</summary>
    public static ContentId Parse(string hex) =>
        TryParse(hex, out var id) ? id : throw new FormatException($"'{hex}' is not a content id: expected 64 hexadecimal characters.");

    /// <summary>Parses 64 hexadecimal characters; false when the text is not an id.</summary>
    public static bool TryParse([NotNullWhen(true)] string? hex, out ContentId id)
    {
        id = default;
        if (hex is null || hex.Length != Size * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }

        id = new ContentId(bytes);
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(ContentId other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ContentId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(Bytes);

    /// <inheritdoc/>
    public int CompareTo(ContentId other) => Bytes.SequenceCompareTo(other.Bytes);

    /// <summary>Equality.</summary>
    public static bool operator ==(ContentId left, ContentId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ContentId left, ContentId right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(ContentId left, ContentId right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(ContentId left, ContentId right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(ContentId left, ContentId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(ContentId left, ContentId right) => left.CompareTo(right) >= 0;

    [InlineArray(Size)]
    private struct Bytes32
    {
        private byte _element0;
    }
}
