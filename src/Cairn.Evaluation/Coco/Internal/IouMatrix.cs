using System.Runtime.CompilerServices;
using Cairn.Core.Masks;

namespace Cairn.Evaluation.Coco.Internal;

/// <summary>IoU matrices (detection-major, D × G) as pycocotools' maskUtils.iou computes them.</summary>
internal static class IouMatrix
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Boxes(ReadOnlySpan<CocoBox> dt, ReadOnlySpan<CocoBox> gt, ReadOnlySpan<bool> crowd, Span<double> o)
    {
        var g = gt.Length;
        for (var d = 0; d < dt.Length; d++)
        {
            var a = dt[d];
            var row = o.Slice(d * g, g);
            for (var j = 0; j < g; j++)
            {
                var b = gt[j];
                row[j] = RleOps.BoxIou(a.X, a.Y, a.Width, a.Height, b.X, b.Y, b.Width, b.Height, crowd[j]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Masks(ReadOnlySpan<PreparedMask> dt, ReadOnlySpan<PreparedMask> gt, ReadOnlySpan<bool> crowd, Span<double> o)
    {
        var g = gt.Length;
        for (var d = 0; d < dt.Length; d++)
        {
            var a = dt[d].WithBox();
            var row = o.Slice(d * g, g);
            for (var j = 0; j < g; j++)
            {
                var b = gt[j].HasBox ? gt[j] : gt[j].WithBox();
                var v = RleOps.BoxIou(a.X, a.Y, a.W, a.H, b.X, b.Y, b.W, b.H, crowd[j]);
                if (v > 0)
                {
                    v = a.Height != b.Height || a.Width != b.Width ? -1 : RleOps.Iou(a.Counts.Span, b.Counts.Span, crowd[j]);
                    if (v > 0 && !crowd[j] && a.Boundary is not null && b.Boundary is not null)
                    {
                        v = Math.Min(v, RleOps.Iou(a.Boundary, b.Boundary, false));
                    }
                }

                row[j] = v;
            }
        }
    }
}
