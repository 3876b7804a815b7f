namespace Cairn.Evaluation.Coco.Internal;

/// <summary>
/// One worker's room for the run lengths of the detection masks of the image it is on. The segm evaluation decodes
/// each of half a million result masks once and drops it after its image: an array each was nine tenths of what
/// the evaluation allocated, and hundreds of collections. Masks taken here are valid until <see cref="Reset"/>.
/// </summary>
internal sealed class MaskBuffer
{
    private uint[] _buffer = new uint[1 << 16];
    private int _used;

    /// <summary>Room for at most <paramref name="max"/> counts, written from the start of the span.</summary>
    public Memory<uint> Reserve(int max)
    {
        if (_buffer.Length - _used < max)
        {
            // Masks already handed out for this image keep the old array alive through their slices.
            _buffer = new uint[Math.Max(_buffer.Length * 2, max)];
            _used = 0;
        }

        return _buffer.AsMemory(_used, max);
    }

    /// <summary>Keeps the first <paramref name="count"/> counts of the last reservation.</summary>
    public ReadOnlyMemory<uint> Commit(int count)
    {
        var kept = _buffer.AsMemory(_used, count);
        _used += count;
        return kept;
    }

    /// <summary>Starts over: every mask taken since the last reset is dead.</summary>
    public void Reset() => _used = 0;
}
