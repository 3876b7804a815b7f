using System.Runtime.CompilerServices;

namespace Cairn.Evaluation.Coco.Internal;

/// <summary>
/// Evaluates one category at a time (evaluateImg over its images, then accumulate), reusing its buffers
/// across categories. One worker per thread.
/// </summary>
internal sealed class CategoryWorker
{
    private const byte Tp = 1;
    private const byte Fp = 2;

    private readonly CocoPrepared _data;
    private readonly double[] _iouThrs;
    private readonly double[] _recThrs;
    private readonly int[] _maxDets;
    private readonly CocoAreaRange[] _areas;
    private readonly int _maxDet;
    private readonly int _at;
    private readonly MaskBuffer _masks = new();

    private double[] _ious = new double[1024];
    private CocoBox[] _gtBox = new CocoBox[64];
    private CocoBox[] _dtBox = new CocoBox[128];
    private PreparedMask[] _gtMask = new PreparedMask[64];
    private PreparedMask[] _dtMask = new PreparedMask[128];
    private bool[] _crowd = new bool[64];
    private long[] _gtId = new long[64];
    private double[] _gtArea = new double[64];
    private bool[] _gtIgnore = new bool[64];
    private int[] _gtOrder = new int[64];
    private bool[] _gtm = new bool[64];
    private double[] _dtArea = new double[128];
    private int[] _dtIdx = new int[128];
    private int[] _dtMatch = new int[128];
    private bool[] _dtIgnore = new bool[128];

    private ulong[] _seqKey = new ulong[1024];
    private ulong[] _keys = new ulong[128];
    private int[] _rows = new int[1024 * 3];
    private int[] _seqRank = new int[1024];
    private byte[] _flags = new byte[1024 * 40];
    private int[] _order = new int[1024];
    private int[] _events = new int[1024];
    private double[] _pr = new double[1024];

    public CategoryWorker(CocoPrepared data, CocoParams p)
    {
        _data = data;
        _iouThrs = [.. p.IouThresholds];
        _recThrs = [.. p.RecallThresholds];
        _maxDets = [.. p.MaxDetections];
        _areas = [.. p.AreaRanges];
        _maxDet = _maxDets[^1];
        _at = _areas.Length * _iouThrs.Length;
    }

    /// <summary>Evaluates category <paramref name="k"/> and writes its slices of precision and recall.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int k, double[] precision, double[] recall, int categoryCount)
    {
        var gts = _data.SortedGt(k);
        var dts = _data.SortedDt(k);
        var n = 0;
        var npig = new long[_areas.Length];
        int gi = 0, di = 0;
        var any = false;
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

            any = true;
            n = EvaluateImage(gts.AsSpan(g0, gi - g0), dts.AsSpan(d0, di - d0), n, npig);
        }

        if (any)
        {
            Accumulate(k, n, npig, precision, recall, categoryCount);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int EvaluateImage(ReadOnlySpan<long> gtRun, ReadOnlySpan<long> dtRun, int n, long[] npig)
    {
        var res = _data.Results;
        var gtAnns = _data.Gt.Annotations;
        var segm = _data.IouType != IouType.Bbox;
        _masks.Reset();
        var g = gtRun.Length;
        var dAll = dtRun.Length;
        Ensure(ref _gtBox, g);
        Ensure(ref _crowd, g);
        Ensure(ref _gtId, g);
        Ensure(ref _gtArea, g);
        Ensure(ref _gtIgnore, g);
        Ensure(ref _gtOrder, g);
        Ensure(ref _gtm, g);
        Ensure(ref _dtIdx, dAll);
        for (var j = 0; j < g; j++)
        {
            var ann = CocoPrepared.Index(gtRun[j]);
            var a = gtAnns[ann];
            _gtBox[j] = a.Box;
            _crowd[j] = a.IsCrowd;
            _gtId[j] = a.Id;
            _gtArea[j] = a.Area;
        }

        // Stable sort by descending score, then keep the first maxDets[-1] (computeIoU / evaluateImg).
        for (var j = 0; j < dAll; j++)
        {
            _dtIdx[j] = CocoPrepared.Index(dtRun[j]);
        }

        var scores = res.DetScore;
        Ensure(ref _keys, dAll);
        for (var j = 0; j < dAll; j++)
        {
            _keys[j] = ScoreSort.Key(scores[_dtIdx[j]]);
        }

        ScoreSort.Sort(_keys.AsSpan(0, dAll), _dtIdx.AsSpan(0, dAll));
        var d = Math.Min(dAll, _maxDet);
        Ensure(ref _dtBox, d);
        Ensure(ref _dtArea, d);
        Ensure(ref _dtMatch, d);
        Ensure(ref _dtIgnore, d);
        if (segm)
        {
            Ensure(ref _gtMask, g);
            Ensure(ref _dtMask, d);
            for (var j = 0; j < g; j++)
            {
                _gtMask[j] = _data.GtMask(CocoPrepared.Index(gtRun[j]));
            }
        }

        for (var j = 0; j < d; j++)
        {
            var idx = _dtIdx[j];
            if (res.BoxMode)
            {
                var box = res.DetBox[idx];
                _dtBox[j] = box;
                _dtArea[j] = box.Area;
                if (segm)
                {
                    _dtMask[j] = _data.DtMask(idx, withBox: g > 0, _masks);
                }
            }
            else
            {
                var box = res.DetectionArray[idx].Box;
                var mask = _data.DtMask(idx, withBox: segm ? g > 0 : box is null, _masks);
                _dtArea[j] = mask.Area;
                _dtBox[j] = box ?? new CocoBox(mask.X, mask.Y, mask.W, mask.H);
                if (segm)
                {
                    _dtMask[j] = mask;
                }
            }
        }

        var t = _iouThrs.Length;
        Ensure(ref _ious, d * g);
        var ious = _ious.AsSpan(0, d * g);
        if (d > 0 && g > 0)
        {
            if (segm)
            {
                IouMatrix.Masks(_dtMask.AsSpan(0, d), _gtMask.AsSpan(0, g), _crowd.AsSpan(0, g), ious);
            }
            else
            {
                IouMatrix.Boxes(_dtBox.AsSpan(0, d), _gtBox.AsSpan(0, g), _crowd.AsSpan(0, g), ious);
            }
        }

        // Append this image's detections to the category's sequence.
        Grow(ref _seqKey, n, n + d);
        Grow(ref _seqRank, n, n + d);
        Grow(ref _flags, n * _at, (n + d) * _at);
        for (var j = 0; j < d; j++)
        {
            _seqKey[n + j] = _keys[j];
            _seqRank[n + j] = j;
        }

        if (g == 0)
        {
            // No ground truth here (the common case: most detections land in classes absent from the image):
            // every detection is a false positive unless its area is outside the range, at every threshold.
            for (var a = 0; a < _areas.Length; a++)
            {
                var (lo, hi) = (_areas[a].Min, _areas[a].Max);
                for (var j = 0; j < d; j++)
                {
                    var f = _dtArea[j] < lo || _dtArea[j] > hi ? (byte)0 : Fp;
                    _flags.AsSpan(((n + j) * _at) + (a * t), t).Fill(f);
                }
            }

            return n + d;
        }

        for (var a = 0; a < _areas.Length; a++)
        {
            var (lo, hi) = (_areas[a].Min, _areas[a].Max);
            var nonIgnored = 0;
            for (var j = 0; j < g; j++)
            {
                _gtIgnore[j] = _crowd[j] || _gtArea[j] < lo || _gtArea[j] > hi;
                if (!_gtIgnore[j])
                {
                    nonIgnored++;
                }
            }

            npig[a] += nonIgnored;
            CocoMatcher.OrderGroundTruth(_gtIgnore.AsSpan(0, g), _gtOrder);
            for (var ti = 0; ti < t; ti++)
            {
                if (g > 0 && d > 0)
                {
                    CocoMatcher.Match(ious, d, _gtOrder.AsSpan(0, g), _gtIgnore, _crowd, _gtId, _dtArea, lo, hi, _iouThrs[ti], _gtm, _dtMatch, _dtIgnore);
                }
                else
                {
                    for (var j = 0; j < d; j++)
                    {
                        _dtMatch[j] = -1;
                        _dtIgnore[j] = _dtArea[j] < lo || _dtArea[j] > hi;
                    }
                }

                var col = (a * t) + ti;
                for (var j = 0; j < d; j++)
                {
                    _flags[((n + j) * _at) + col] = _dtIgnore[j] ? (byte)0 : _dtMatch[j] >= 0 ? Tp : Fp;
                }
            }
        }

        return n + d;
    }

    /// <summary>
    /// pycocotools' accumulate for one category. Precision only needs evaluating where a true positive lands:
    /// between two of them it only falls, and the recall thresholds are first reached at one. So one pass per
    /// (area, IoU, maxDets) over the detections that maxDets keeps records the false positives before each true
    /// positive, without a branch, and the envelope is taken over those events only; the doubles produced are the
    /// same ones numpy produces.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Accumulate(int k, int n, long[] npig, double[] precision, double[] recall, int kCount)
    {
        const double eps = 2.220446049250313e-16; // np.spacing(1)
        Ensure(ref _order, n);
        var order = _order.AsSpan(0, n);
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        // Descending score, ties in sequence order: numpy's stable argsort of -score over the concatenated images.
        ScoreSort.Sort(_seqKey.AsSpan(0, n), order);

        int tCount = _iouThrs.Length, rCount = _recThrs.Length, aCount = _areas.Length, mCount = _maxDets.Length;

        // For each maxDets, the flag rows (in score order) of the detections it keeps: those ranked below it in their image.
        Ensure(ref _rows, mCount * n);
        Span<int> kept = stackalloc int[mCount];
        kept.Clear();
        var maxDets = _maxDets;
        for (var i = 0; i < n; i++)
        {
            var rank = _seqRank[order[i]];
            var row = order[i] * _at;
            for (var m = 0; m < mCount; m++)
            {
                if (rank < maxDets[m])
                {
                    _rows[(m * n) + kept[m]++] = row;
                }
            }
        }

        long maxEvents = 0;
        foreach (var v in npig)
        {
            maxEvents = Math.Max(maxEvents, v);
        }

        // A true positive matches a distinct counted ground truth, so there are at most npig of them; one slot more
        // takes the write after the last one.
        maxEvents = Math.Min(maxEvents, n) + 1;
        Ensure(ref _events, (int)maxEvents);
        Ensure(ref _pr, (int)maxEvents);
        var flags = _flags;
        var ev = _events.AsSpan(0, (int)maxEvents);
        for (var a = 0; a < aCount; a++)
        {
            if (npig[a] == 0)
            {
                continue;
            }

            double np = npig[a];
            for (var t = 0; t < tCount; t++)
            {
                var col = (a * tCount) + t;
                for (var m = 0; m < mCount; m++)
                {
                    var rows = _rows.AsSpan(m * n, kept[m]);
                    int tp = 0, fp = 0;
                    foreach (var row in rows)
                    {
                        // Tp = 1, Fp = 2, ignored = 0: the slot at tp is overwritten until a true positive keeps it.
                        var f = flags[row + col];
                        ev[tp] = fp;
                        tp += f & Tp;
                        fp += f >> 1;
                    }

                    var nd = kept[m];
                    var events = tp;
                    recall[(((((t * kCount) + k) * aCount) + a) * mCount) + m] = nd > 0 ? events / np : 0;
                    for (var j = 0; j < events; j++)
                    {
                        double tpj = j + 1;
                        _pr[j] = tpj / ((ev[j] + tpj) + eps);
                    }

                    for (var j = events - 1; j > 0; j--)
                    {
                        if (_pr[j] > _pr[j - 1])
                        {
                            _pr[j - 1] = _pr[j];
                        }
                    }

                    var p = 0;
                    for (var r = 0; r < rCount; r++)
                    {
                        var thr = _recThrs[r];
                        while (p < events && (p + 1) / np < thr)
                        {
                            p++;
                        }

                        precision[(((((((t * rCount) + r) * kCount) + k) * aCount) + a) * mCount) + m] = nd > 0 && p < events ? _pr[p] : 0;
                    }
                }
            }
        }
    }

    /// <summary>Grows a buffer keeping its first <paramref name="used"/> items.</summary>
    private static void Grow<T>(ref T[] buffer, int used, int size)
    {
        if (buffer.Length < size)
        {
            var bigger = new T[Math.Max(size, buffer.Length * 2)];
            Array.Copy(buffer, bigger, used);
            buffer = bigger;
        }
    }

    /// <summary>Makes a scratch buffer at least <paramref name="size"/> long; its contents are not kept.</summary>
    private static void Ensure<T>(ref T[] buffer, int size)
    {
        if (buffer.Length < size)
        {
            buffer = new T[Math.Max(size, buffer.Length * 2)];
        }
    }
}
