namespace Cairn.Storage.Versions;

/// <summary>Orders keys by their bytes, the order snapshot trees use.</summary>
internal sealed class ByteKeyComparer : IComparer<byte[]>
{
    public static ByteKeyComparer Instance { get; } = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
