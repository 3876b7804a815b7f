using System.Runtime.CompilerServices;

namespace Cairn.Evaluation.Coco.Internal;

/// <summary>
/// Sorts by descending score, ties by ascending item: the order numpy's stable mergesort on <c>-score</c> gives
/// (pycocotools sorts detections so, per image and per category), made with primitive keys instead of a comparer
/// reading scores through the items (a third of the time a category's accumulate took, docs/benchmarks.md).
/// </summary>
internal static class ScoreSort
{
    /// <summary>
    /// The key that orders scores descending as unsigned integers: the double's bits made monotonic, then inverted.
    /// -0.0 is 0.0, as the scores compare equal.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Key(double score)
    {
        var bits = BitConverter.DoubleToInt64Bits(score == 0 ? 0.0 : score);
        var ascending = bits >= 0 ? (ulong)bits | 0x8000_0000_0000_0000UL : ~(ulong)bits;
        return ~ascending;
    }

    /// <summary>
    /// Sorts <paramref name="items"/> by their <paramref name="keys"/> (from <see cref="Key"/>, same length; both are
    /// reordered), equal keys by ascending item.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sort(Span<ulong> keys, Span<int> items)
    {
        if (keys.Length < 2)
        {
            return;
        }

        keys.Sort(items);

        // The sort is not stable: put each run of equal keys back in item order (runs are rare and short).
        var n = keys.Length;
        for (var i = 1; i < n; i++)
        {
            if (keys[i] != keys[i - 1])
            {
                continue;
            }

            var start = i - 1;
            while (i < n && keys[i] == keys[start])
            {
                i++;
            }

            items[start..i].Sort();
        }
    }
}
