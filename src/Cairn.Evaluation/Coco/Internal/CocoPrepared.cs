using System.Runtime.CompilerServices;
using Cairn.Core.Formats;
using Cairn.Core.Masks;

namespace Cairn.Evaluation.Coco.Internal;

/// <summary>
/// Ground truth and detections grouped by category (then by image, in original order), with the per-object
/// values matching needs in flat arrays. Masks are made on demand by the one worker that owns the category.
/// </summary>
internal sealed class CocoPrepared
{
    public CocoPrepared(CocoResults results, IouType iouType)
    {
        Results = results;
        Gt = results.GroundTruth;
        IouType = iouType;
        if (iouType != IouType.Bbox && Gt.SegmentationsSkipped)
        {
            throw new InvalidOperationException($"{Gt.Source} was loaded without its segmentations (boxes only); {iouType.ToString().ToLowerInvariant()} evaluation needs them: load it with them");
        }

        var k = Gt.Categories.Count;
        (GtStart, GtOrder) = GroupByCategory(Gt.AnnCategory, k);
        (DtStart, DtOrder) = GroupByCategory(results.DetImage.Length == 0 ? [] : results.DetCategory, k);
        GtMasks = iouType != IouType.Bbox ? new PreparedMask[Gt.Annotations.Count] : [];
    }

    public CocoResults Results { get; }

    public CocoDataset Gt { get; }

    public IouType IouType { get; }

    public int[] GtStart { get; }

    public int[] GtOrder { get; }

    public int[] DtStart { get; }

    public int[] DtOrder { get; }

    public PreparedMask[] GtMasks { get; }

    /// <summary>The category's ground truths sorted by (image, original index): (image index, annotation index) pairs packed in a long.</summary>
    public long[] SortedGt(int category) => SortByImage(GtOrder.AsSpan(GtStart[category], GtStart[category + 1] - GtStart[category]), Gt.AnnImage);

    /// <summary>The category's detections sorted by (image, original index).</summary>
    public long[] SortedDt(int category) => SortByImage(DtOrder.AsSpan(DtStart[category], DtStart[category + 1] - DtStart[category]), Results.DetImage);

    public PreparedMask GtMask(int ann)
    {
        ref var slot = ref GtMasks[ann];
        if (!slot.IsMade)
        {
            var a = Gt.Annotations[ann];
            var im = Gt.Images[Gt.AnnImage[ann]];
            if (a.Segmentation is not { } segmentation)
            {
                throw new DatasetFormatException(Gt.Source, $"$.annotations[{ann}]", "segm evaluation needs a \"segmentation\" on every ground truth");
            }

            slot = WithBoundary(new PreparedMask(segmentation.ToRle(im.Height, im.Width)));
        }

        return slot;
    }

    /// <summary>
    /// The mask of a detection as pycocotools makes it: its segmentation, or its box as a polygon. A compressed mask
    /// is decoded into <paramref name="buffer"/> when one is given (the mask is then valid until the buffer's reset).
    /// </summary>
    public PreparedMask DtMask(int det, bool withBox = true, MaskBuffer? buffer = null)
    {
        ref readonly var d = ref Results.DetectionArray[det];
        var im = Gt.Images[Results.DetImage[det]];
        PreparedMask mask;
        if (buffer is not null && d.Segmentation is { } compressed && compressed.TryGetCompressed(out var text, out var h, out var w))
        {
            var room = buffer.Reserve(text.Length);
            if (!RleOps.TryDecodeCompressed(text, h, w, room.Span, out var n, out var error))
            {
                throw Malformed(det, error);
            }

            mask = new PreparedMask(buffer.Commit(n), h, w, withBox);
        }
        else
        {
            Rle rle;
            try
            {
                rle = d.Segmentation is { } segmentation
                    ? segmentation.ToRle(im.Height, im.Width)
                    : RleOps.FromBox(d.Box!.Value.X, d.Box.Value.Y, d.Box.Value.Width, d.Box.Value.Height, im.Height, im.Width);
            }
            catch (FormatException e)
            {
                throw Malformed(det, e.Message);
            }

            mask = new PreparedMask(rle, withBox);
        }

        return WithBoundary(mask);
    }

    // Compressed masks are checked when decoded here, not while the file is read.
    private DatasetFormatException Malformed(int det, string error)
    {
        var root = Results.Source.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "$" : "detections";
        var message = error.StartsWith("malformed RLE", StringComparison.Ordinal) ? error : $"malformed RLE: {error}";
        return new DatasetFormatException(Results.Source, $"{root}[{det}].segmentation.counts", message);
    }

    private PreparedMask WithBoundary(PreparedMask m) =>
        IouType == IouType.Boundary ? m with { Boundary = BoundaryMask.Of(m.Counts.Span, m.Height, m.Width) } : m;

    public static int Image(long packed) => (int)(packed >> 32);

    public static int Index(long packed) => (int)(packed & 0xffffffff);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long[] SortByImage(ReadOnlySpan<int> members, int[] imageOf)
    {
        var keys = new long[members.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = ((long)imageOf[members[i]] << 32) | (uint)members[i];
        }

        Array.Sort(keys);
        return keys;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[] Start, int[] Order) GroupByCategory(int[] categoryOf, int k)
    {
        var start = new int[k + 1];
        foreach (var c in categoryOf)
        {
            start[c + 1]++;
        }

        for (var i = 0; i < k; i++)
        {
            start[i + 1] += start[i];
        }

        var next = (int[])start.Clone();
        var order = new int[categoryOf.Length];
        for (var i = 0; i < categoryOf.Length; i++)
        {
            order[next[categoryOf[i]]++] = i;
        }

        return (start, order);
    }
}
