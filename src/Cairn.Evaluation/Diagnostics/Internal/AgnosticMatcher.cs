using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Coco.Internal;

namespace Cairn.Evaluation.Diagnostics.Internal;

/// <summary>
/// Class-agnostic matching for the confusion matrix: per image, detections at or above the confidence threshold,
/// best first, each take the unmatched ground truth of highest IoU (≥ threshold) whatever its class. A detection that
/// only overlaps a crowd region is left out; one that overlaps nothing is background.
/// </summary>
internal sealed class AgnosticMatcher(CocoPrepared data, double iouThreshold, double confidence, ClassMatcher classMatch)
{
    public (ConfusionMatrix Matrix, IReadOnlyList<ConfusedPair> Pairs, int Localized, int Correct) Run(CancellationToken ct)
    {
        var gt = data.Gt;
        var res = data.Results;
        var dets = res.DetectionArray;
        var k = gt.Categories.Count;
        var nImg = gt.Images.Count;
        var gtByImg = Group(gt.AnnImage, nImg);
        var dtByImg = Group(res.DetImage, nImg);
        var segm = data.IouType != IouType.Bbox;
        var total = new int[(k + 1) * (k + 1)];
        int localized = 0, correct = 0;
        var gate = new object();
        Parallel.For(
            0,
            nImg,
            new ParallelOptions { CancellationToken = ct },
            () => (Counts: new int[(k + 1) * (k + 1)], Localized: 0, Correct: 0),
            (img, _, local) =>
            {
                var gIdx = gtByImg[img];
                var dIdx = dtByImg[img].Where(i => classMatch.Kept[i] && dets[i].Score >= confidence).ToArray();
                Array.Sort(dIdx, (x, y) =>
                {
                    var c = dets[y].Score.CompareTo(dets[x].Score);
                    return c != 0 ? c : x.CompareTo(y);
                });
                var g = gIdx.Length;
                var d = dIdx.Length;
                var crowd = gIdx.Select(i => gt.Annotations[i].IsCrowd).ToArray();
                var ious = new double[d * g];
                if (d > 0 && g > 0)
                {
                    if (segm)
                    {
                        IouMatrix.Masks([.. dIdx.Select(i => classMatch.DtMasks[i])], [.. gIdx.Select(data.GtMask)], crowd, ious);
                    }
                    else
                    {
                        var dBox = dIdx.Select(i => dets[i].Box ?? BoxOf(data.DtMask(i))).ToArray();
                        IouMatrix.Boxes(dBox, [.. gIdx.Select(i => gt.Annotations[i].Box)], crowd, ious);
                    }
                }

                var used = new bool[g];
                for (var j = 0; j < d; j++)
                {
                    var best = -1;
                    var bestIou = -1.0;
                    var onCrowd = false;
                    for (var q = 0; q < g; q++)
                    {
                        var v = ious[(j * g) + q];
                        if (v < iouThreshold)
                        {
                            continue;
                        }

                        if (crowd[q])
                        {
                            onCrowd = true;
                        }
                        else if (!used[q] && v > bestIou)
                        {
                            best = q;
                            bestIou = v;
                        }
                    }

                    var pred = res.DetCategory[dIdx[j]];
                    if (best >= 0)
                    {
                        used[best] = true;
                        var actual = gt.AnnCategory[gIdx[best]];
                        local.Counts[(actual * (k + 1)) + pred]++;
                        local.Localized++;
                        if (actual == pred)
                        {
                            local.Correct++;
                        }
                    }
                    else if (!onCrowd)
                    {
                        local.Counts[(k * (k + 1)) + pred]++;
                    }
                }

                for (var q = 0; q < g; q++)
                {
                    if (!used[q] && !crowd[q])
                    {
                        local.Counts[(gt.AnnCategory[gIdx[q]] * (k + 1)) + k]++;
                    }
                }

                return local;
            },
            local =>
            {
                lock (gate)
                {
                    for (var i = 0; i < total.Length; i++)
                    {
                        total[i] += local.Counts[i];
                    }

                    localized += local.Localized;
                    correct += local.Correct;
                }
            });

        var labels = gt.Categories.Select(c => c.Name).Append("background").ToArray();
        var rows = new IReadOnlyList<int>[k + 1];
        for (var r = 0; r <= k; r++)
        {
            rows[r] = total.AsSpan(r * (k + 1), k + 1).ToArray();
        }

        var pairs = new List<ConfusedPair>();
        for (var a = 0; a < k; a++)
        {
            var rowTotal = 0;
            for (var p = 0; p < k; p++)
            {
                rowTotal += rows[a][p];
            }

            for (var p = 0; p < k; p++)
            {
                if (p != a && rows[a][p] > 0)
                {
                    pairs.Add(new ConfusedPair(labels[a], labels[p], rows[a][p], (double)rows[a][p] / rowTotal));
                }
            }
        }

        var top = pairs.OrderByDescending(p => p.Count).ThenBy(p => p.Actual, StringComparer.Ordinal).ThenBy(p => p.Predicted, StringComparer.Ordinal).Take(15).ToArray();
        return (new ConfusionMatrix(labels, rows), top, localized, correct);
    }

    private static CocoBox BoxOf(PreparedMask m) => new(m.X, m.Y, m.W, m.H);

    private static int[][] Group(int[] imageOf, int nImg)
    {
        var lists = new List<int>[nImg];
        for (var i = 0; i < imageOf.Length; i++)
        {
            (lists[imageOf[i]] ??= []).Add(i);
        }

        return [.. lists.Select(l => l is null ? [] : l.ToArray())];
    }
}
