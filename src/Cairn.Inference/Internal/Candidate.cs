namespace Cairn.Inference.Internal;

/// <summary>A box before NMS, in model input pixels (x1, y1, x2, y2), with its score and class.</summary>
internal readonly record struct Candidate(float X1, float Y1, float X2, float Y2, float Score, int Class)
{
    /// <summary>
    /// Sorts candidate indices by score, highest first, ties in the order the candidates were found: one 64-bit key per
    /// candidate (inverted score bits, then index) and a primitive sort, several times faster than a comparison delegate.
    /// Scores are at least the confidence threshold, so never negative, and the bits of a non-negative float order like it.
    /// </summary>
    public static void SortByScore(ReadOnlySpan<Candidate> candidates, Span<ulong> keys)
    {
        for (var i = 0; i < candidates.Length; i++)
        {
            var s = candidates[i].Score;
            var bits = s > 0 ? BitConverter.SingleToUInt32Bits(s) : 0u;
            keys[i] = ((ulong)~bits << 32) | (uint)i;
        }

        keys[..candidates.Length].Sort();
    }
}
