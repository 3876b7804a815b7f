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

    private double[] _seqScore = new double[1024];
    private int[] _seqRank = new int[1024];
    private byte[] _flags = new byte[1024 * 40];
    private int[] _order = new int[1024];
    private int[] _sortedRank = new int[1024];
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
        _dtIdx.AsSpan(0, dAll).Sort(new ScoreOrder(scores));
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
        Grow(ref _seqScore, n, n + d);
        Grow(ref _seqRank, n, n + d);
        Grow(ref _flags, n * _at, (n + d) * _at);
        for (var j = 0; j < d; j++)
        {
            _seqScore[n + j] = scores[_dtIdx[j]];
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
    /// (area, IoU) counts TP/FP for every maxDets at once, and the envelope is taken over the TP events only;
    /// the doubles produced are the same ones numpy produces.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Accumulate(int k, int n, long[] npig, double[] precision, double[] recall, int kCount)
    {
        const double eps = 2.220446049250313e-16; // np.spacing(1)
        Ensure(ref _order, n);
        Ensure(ref _sortedRank, n);
        var order = _order.AsSpan(0, n);
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        order.Sort(new SequenceOrder(_seqScore));
        for (var i = 0; i < n; i++)
        {
            _sortedRank[i] = _seqRank[order[i]];
        }

        int tCount = _iouThrs.Length, rCount = _recThrs.Length, aCount = _areas.Length, mCount = _maxDets.Length;
        long maxEvents = 0;
        foreach (var v in npig)
        {
            maxEvents = Math.Max(maxEvents, v);
        }

        maxEvents = Math.Min(maxEvents, n) + 1;
        Ensure(ref _events, (int)(mCount * maxEvents));
        Ensure(ref _pr, (int)maxEvents);
        Span<int> tp = stackalloc int[mCount];
        Span<int> fp = stackalloc int[mCount];
        Span<int> nd = stackalloc int[mCount];
        var maxDets = _maxDets;
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
                tp.Clear();
                fp.Clear();
                nd.Clear();
                for (var i = 0; i < n; i++)
                {
                    var f = _flags[(order[i] * _at) + col];
                    var rank = _sortedRank[i];
                    for (var m = 0; m < mCount; m++)
                    {
                        if (rank >= maxDets[m])
                        {
                            continue;
                        }

                        nd[m]++;
                        if (f == Tp)
                        {
                            _events[(m * maxEvents) + tp[m]] = fp[m];
                            tp[m]++;
                        }
                        else if (f == Fp)
                        {
                            fp[m]++;
                        }
                    }
                }

                for (var m = 0; m < mCount; m++)
                {
                    var events = tp[m];
                    recall[(((((t * kCount) + k) * aCount) + a) * mCount) + m] = nd[m] > 0 ? events / np : 0;
                    var ev = _events.AsSpan((int)(m * maxEvents), events);
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

                        precision[(((((((t * rCount) + r) * kCount) + k) * aCount) + a) * mCount) + m] = nd[m] > 0 && p < events ? _pr[p] : 0;
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

    /// <summary>Descending score, then original index: a total order equal to numpy's stable mergesort on -score.</summary>
    private readonly struct ScoreOrder(double[] scores) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            var c = scores[y].CompareTo(scores[x]);
            return c != 0 ? c : x.CompareTo(y);
        }
    }

    private readonly struct SequenceOrder(double[] scores) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            var c = scores[y].CompareTo(scores[x]);
            return c != 0 ? c : x.CompareTo(y);
        }
    }
}
