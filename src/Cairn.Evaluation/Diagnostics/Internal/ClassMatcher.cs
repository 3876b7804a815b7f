using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Coco.Internal;

namespace Cairn.Evaluation.Diagnostics.Internal;

/// <summary>
/// COCO's class-aware matching (area "all", crowds ignored, at most N detections per image and class) at several
/// IoU thresholds, keeping per-detection outcomes and IoUs and per-ground-truth match scores.
/// </summary>
internal sealed class ClassMatcher
{
    private readonly CocoPrepared _data;
    private readonly double[] _thresholds;
    private readonly int _maxDet;
    private readonly int _main;

    public ClassMatcher(CocoPrepared data, double[] thresholds, int mainIndex, int maxDet)
    {
        _data = data;
        _thresholds = thresholds;
        _maxDet = maxDet;
        var nd = data.Results.DetectionArray.Length;
        var ng = data.Gt.Annotations.Count;
        Outcome = [.. thresholds.Select(_ => new byte[nd])];
        GtMatchScore = [.. thresholds.Select(_ => Enumerable.Repeat(double.NegativeInfinity, ng).ToArray())];
        MatchIou = new double[nd];
        Kept = new bool[nd];
        DtMasks = data.IouType != IouType.Bbox ? new PreparedMask[nd] : [];
        _main = mainIndex;
    }

    /// <summary>Per threshold, per detection: 0 not counted (beyond the per-image limit, or on a crowd), 1 TP, 2 FP.</summary>
    public byte[][] Outcome { get; }

    /// <summary>Per threshold, per ground truth: the score of the detection that matched it, or -∞.</summary>
    public double[][] GtMatchScore { get; }

    /// <summary>IoU of each detection with its match at the main threshold (the requested one).</summary>
    public double[] MatchIou { get; }

    /// <summary>Detections within the per-image, per-class limit.</summary>
    public bool[] Kept { get; }

    /// <summary>Detection masks (segm only), filled for kept detections.</summary>
    public PreparedMask[] DtMasks { get; }

    public void Run(CancellationToken ct)
    {
        var k = _data.Gt.Categories.Count;
        Parallel.For(0, k, new ParallelOptions { CancellationToken = ct }, RunCategory);
    }

    private void RunCategory(int k)
    {
        var res = _data.Results;
        var dets = res.DetectionArray;
        var anns = _data.Gt.Annotations;
        var segm = _data.IouType != IouType.Bbox;
        var gts = _data.SortedGt(k);
        var dts = _data.SortedDt(k);
        int gi = 0, di = 0;
        while (gi < gts.Length || di < dts.Length)
        {
            var img = Math.Min(
                gi < gts.Length ? CocoPrepared.Image(gts[gi]) : int.MaxValue,
                di < dts.Length ? CocoPrepared.Image(dts[di]) : int.MaxValue);
            var g0 = gi;
            while (gi < gts.Length && CocoPrepared.Image(gts[gi]) == img)
            {
                gi++;
            }

            var d0 = di;
            while (di < dts.Length && CocoPrepared.Image(dts[di]) == img)
            {
                di++;
            }

            var g = gi - g0;
            var gIdx = new int[g];
            var gBox = new CocoBox[g];
            var crowd = new bool[g];
            var ids = new long[g];
            var gMask = segm ? new PreparedMask[g] : [];
            for (var j = 0; j < g; j++)
            {
                gIdx[j] = CocoPrepared.Index(gts[g0 + j]);
                var a = anns[gIdx[j]];
                gBox[j] = a.Box;
                crowd[j] = a.IsCrowd;
                ids[j] = a.Id;
                if (segm)
                {
                    gMask[j] = _data.GtMask(gIdx[j]);
                }
            }

            var all = new int[di - d0];
            for (var j = 0; j < all.Length; j++)
            {
                all[j] = CocoPrepared.Index(dts[d0 + j]);
            }

            Array.Sort(all, (x, y) =>
            {
                var c = dets[y].Score.CompareTo(dets[x].Score);
                return c != 0 ? c : x.CompareTo(y);
            });
            var d = Math.Min(all.Length, _maxDet);
            var dBox = new CocoBox[d];
            var dArea = new double[d];
            var dMask = segm ? new PreparedMask[d] : [];
            for (var j = 0; j < d; j++)
            {
                var idx = all[j];
                Kept[idx] = true;
                if (res.BoxMode)
                {
                    dBox[j] = dets[idx].Box!.Value;
                    if (segm)
                    {
                        dMask[j] = DtMasks[idx] = _data.DtMask(idx);
                    }
                }
                else
                {
                    var m = _data.DtMask(idx);
                    dBox[j] = dets[idx].Box ?? new CocoBox(m.X, m.Y, m.W, m.H);
                    if (segm)
                    {
                        dMask[j] = DtMasks[idx] = m;
                    }
                }
            }

            var ious = new double[d * g];
            if (d > 0 && g > 0)
            {
                if (segm)
                {
                    IouMatrix.Masks(dMask, gMask, crowd, ious);
                }
                else
                {
                    IouMatrix.Boxes(dBox, gBox, crowd, ious);
                }
            }

            var order = new int[g];
            CocoMatcher.OrderGroundTruth(crowd, order);
            var gtm = new bool[g];
            var match = new int[d];
            var ignore = new bool[d];
            for (var t = 0; t < _thresholds.Length; t++)
            {
                if (g > 0 && d > 0)
                {
                    CocoMatcher.Match(ious, d, order, crowd, crowd, ids, dArea, double.NegativeInfinity, double.PositiveInfinity, _thresholds[t], gtm, match, ignore);
                }
                else
                {
                    Array.Fill(match, -1);
                    Array.Clear(ignore);
                }

                for (var j = 0; j < d; j++)
                {
                    var idx = all[j];
                    Outcome[t][idx] = ignore[j] ? (byte)0 : match[j] >= 0 ? (byte)1 : (byte)2;
                    if (match[j] >= 0 && !ignore[j])
                    {
                        GtMatchScore[t][gIdx[match[j]]] = dets[idx].Score;
                        if (t == _main)
                        {
                            MatchIou[idx] = ious[(j * g) + match[j]];
                        }
                    }
                }
            }
        }
    }
}
