using System.Runtime.CompilerServices;

namespace Cairn.Evaluation.Coco.Internal;

/// <summary>
/// The greedy matching of pycocotools' COCOeval.evaluateImg for one image, one category, one area range and
/// one IoU threshold, with its quirks kept: ground truths sorted non-ignored first (stably), ties in IoU go to the
/// later ground truth, crowds match any number of detections, and a match to a ground truth whose id is 0 counts
/// as no match (pycocotools stores matched ids and tests them for non-zero).
/// </summary>
internal static class CocoMatcher
{
    /// <summary>Orders ground truths non-ignored first, keeping the original order within each group.</summary>
    public static void OrderGroundTruth(ReadOnlySpan<bool> ignore, Span<int> order)
    {
        var n = 0;
        for (var g = 0; g < ignore.Length; g++)
        {
            if (!ignore[g])
            {
                order[n++] = g;
            }
        }

        for (var g = 0; g < ignore.Length; g++)
        {
            if (ignore[g])
            {
                order[n++] = g;
            }
        }
    }

    /// <summary>
    /// Matches detections (already in score order) to ground truths at one threshold.
    /// <paramref name="ious"/> is D × G, detection-major, ground truths in original order.
    /// Writes the matched ground truth (original index, or -1) and whether each detection is ignored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Match(
        ReadOnlySpan<double> ious,
        int detCount,
        ReadOnlySpan<int> gtOrder,
        ReadOnlySpan<bool> gtIgnore,
        ReadOnlySpan<bool> gtCrowd,
        ReadOnlySpan<long> gtIds,
        ReadOnlySpan<double> dtArea,
        double areaMin,
        double areaMax,
        double threshold,
        Span<bool> gtMatchedScratch,
        Span<int> dtMatch,
        Span<bool> dtIgnore)
    {
        var g = gtOrder.Length;
        var gtm = gtMatchedScratch[..g];
        gtm.Clear();
        for (var d = 0; d < detCount; d++)
        {
            var best = Math.Min(threshold, 1 - 1e-10);
            var m = -1;
            var row = ious.Slice(d * g, g);
            for (var gi = 0; gi < g; gi++)
            {
                var orig = gtOrder[gi];
                if (gtm[gi] && !gtCrowd[orig])
                {
                    continue;
                }

                if (m > -1 && !gtIgnore[gtOrder[m]] && gtIgnore[orig])
                {
                    break;
                }

                var iou = row[orig];
                if (iou < best)
                {
                    continue;
                }

                best = iou;
                m = gi;
            }

            var ignored = false;
            var matched = -1;
            if (m != -1)
            {
                matched = gtOrder[m];
                ignored = gtIgnore[matched];
                gtm[m] = true;
            }

            var counted = matched >= 0 && gtIds[matched] != 0;
            dtMatch[d] = counted ? matched : -1;
            dtIgnore[d] = ignored || (!counted && (dtArea[d] < areaMin || dtArea[d] > areaMax));
        }
    }
}
