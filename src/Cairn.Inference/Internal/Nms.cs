namespace Cairn.Inference.Internal;

/// <summary>
/// Greedy class-wise non-maximum suppression with torchvision.ops.nms semantics: highest score first, a box is dropped
/// when its IoU (float32, areas without +1) with a kept box of the same class is strictly above the threshold.
/// Stops once <c>maxDetections</c> boxes are kept, which equals torchvision's <c>keep[:max_det]</c>.
/// </summary>
internal sealed class Nms
{
    private float[] _kept = [];
    private int[] _keptPerClass = [];
    private int _maxDetections;

    private ulong[] _keys = [];

    /// <summary>
    /// Visits <paramref name="candidates"/> by score (descending) and writes the indices of the kept ones, in score order,
    /// to <paramref name="keep"/>; returns how many were kept.
    /// </summary>
    public int Run(ReadOnlySpan<Candidate> candidates, int classCount, float iouThreshold, int maxDetections, int maxCandidates, Span<int> keep)
    {
        if (_keys.Length < candidates.Length)
        {
            _keys = new ulong[Math.Max(candidates.Length, 2 * _keys.Length)];
        }

        Candidate.SortByScore(candidates, _keys);
        var order = _keys.AsSpan(0, Math.Min(candidates.Length, maxCandidates));
        Prepare(classCount, maxDetections);
        var stride = 5 * maxDetections;
        var count = 0;
        for (var i = 0; i < order.Length && count < maxDetections; i++)
        {
            var index = (int)(uint)order[i];
            ref readonly var c = ref candidates[index];
            var area = (c.X2 - c.X1) * (c.Y2 - c.Y1);
            var n = _keptPerClass[c.Class];
            var boxes = _kept.AsSpan(c.Class * stride, 5 * n);
            var suppressed = false;
            for (var k = 0; k < boxes.Length; k += 5)
            {
                var xx1 = MathF.Max(c.X1, boxes[k]);
                var yy1 = MathF.Max(c.Y1, boxes[k + 1]);
                var xx2 = MathF.Min(c.X2, boxes[k + 2]);
                var yy2 = MathF.Min(c.Y2, boxes[k + 3]);
                var w = MathF.Max(0, xx2 - xx1);
                var h = MathF.Max(0, yy2 - yy1);
                var inter = w * h;
                if (inter > 0 && inter / (boxes[k + 4] + area - inter) > iouThreshold)
                {
                    suppressed = true;
                    break;
                }
            }

            if (suppressed)
            {
                continue;
            }

            var slot = _kept.AsSpan((c.Class * stride) + (5 * n), 5);
            slot[0] = c.X1;
            slot[1] = c.Y1;
            slot[2] = c.X2;
            slot[3] = c.Y2;
            slot[4] = area;
            _keptPerClass[c.Class] = n + 1;
            keep[count++] = index;
        }

        return count;
    }

    private void Prepare(int classCount, int maxDetections)
    {
        if (_keptPerClass.Length < classCount || _maxDetections != maxDetections)
        {
            _keptPerClass = new int[classCount];
            _kept = new float[classCount * 5 * maxDetections];
            _maxDetections = maxDetections;
        }
        else
        {
            Array.Clear(_keptPerClass);
        }
    }
}
