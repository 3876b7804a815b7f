using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Coco.Internal;

namespace Cairn.Evaluation.Diagnostics.Internal;

/// <summary>
/// TIDE's error breakdown on top of the class-aware matching at the foreground IoU. Each false positive takes the
/// first type that fits, in TIDE's order: Loc (same class, bg ≤ IoU &lt; fg), Cls (another class, IoU ≥ fg), Dupe
/// (same class, IoU ≥ fg, that object already taken), Bkg (IoU &lt; bg with every object), Both (another class,
/// bg ≤ IoU &lt; fg). Unmatched objects that no Loc or Cls error points at are Missed. Fixes, as in TIDE: Loc and
/// Cls become a hit on their object (right box, right class) unless it is already taken, then they are removed;
/// Both, Dupe and Bkg are removed; Missed objects are dropped from the number of objects.
/// </summary>
internal static class ErrorAnalysis
{
    private const byte Cls = 1;
    private const byte Loc = 2;
    private const byte Both = 3;
    private const byte Dupe = 4;
    private const byte Bkg = 5;
    private const byte Missed = 6;

    private static readonly string[] Names = ["", "cls", "loc", "both", "dupe", "bkg", "missed"];

    public static ErrorBreakdown Run(CocoPrepared data, ClassMatcher match, int fgIndex, double fg, double bg, CancellationToken ct)
    {
        var gt = data.Gt;
        var res = data.Results;
        var dets = res.DetectionArray;
        var outcome = match.Outcome[fgIndex];
        var gtScore = match.GtMatchScore[fgIndex];
        var nImg = gt.Images.Count;
        var gtByImg = Group(gt.AnnImage, nImg, g => !gt.Annotations[g].IsCrowd);
        var fpByImg = Group(res.DetImage, nImg, i => outcome[i] == 2);
        var type = new byte[dets.Length];
        var target = new int[dets.Length];
        var segm = data.IouType != IouType.Bbox;
        Parallel.For(0, nImg, new ParallelOptions { CancellationToken = ct }, img =>
        {
            var gIdx = gtByImg[img];
            var dIdx = fpByImg[img];
            var g = gIdx.Length;
            var d = dIdx.Length;
            if (d == 0)
            {
                return;
            }

            var ious = new double[d * g];
            if (g > 0)
            {
                var crowd = new bool[g];
                if (segm)
                {
                    IouMatrix.Masks([.. dIdx.Select(i => match.DtMasks[i])], [.. gIdx.Select(data.GtMask)], crowd, ious);
                }
                else
                {
                    IouMatrix.Boxes([.. dIdx.Select(i => dets[i].Box ?? BoxOf(data.DtMask(i)))], [.. gIdx.Select(i => gt.Annotations[i].Box)], crowd, ious);
                }
            }

            for (var j = 0; j < d; j++)
            {
                var c = res.DetCategory[dIdx[j]];
                double same = 0, other = 0;
                int sameAt = -1, otherAt = -1;
                for (var q = 0; q < g; q++)
                {
                    var v = ious[(j * g) + q];
                    if (gt.AnnCategory[gIdx[q]] == c)
                    {
                        if (v > same || sameAt < 0)
                        {
                            (same, sameAt) = (v, q);
                        }
                    }
                    else if (v > other || otherAt < 0)
                    {
                        (other, otherAt) = (v, q);
                    }
                }

                var (t, on) =
                    sameAt >= 0 && same >= bg && same < fg ? (Loc, gIdx[sameAt])
                    : otherAt >= 0 && other >= fg ? (Cls, gIdx[otherAt])
                    : sameAt >= 0 && same >= fg ? (Dupe, gIdx[sameAt])
                    : Math.Max(same, other) < bg ? (Bkg, -1)
                    : (Both, gIdx[otherAt]);
                type[dIdx[j]] = t;
                target[dIdx[j]] = on;
            }
        });

        // Detections that count, best first (ties by input order), and the objects each class has.
        var order = Enumerable.Range(0, dets.Length).Where(i => outcome[i] != 0).ToArray();
        Array.Sort(order, (x, y) =>
        {
            var c = dets[y].Score.CompareTo(dets[x].Score);
            return c != 0 ? c : x.CompareTo(y);
        });
        var k = gt.Categories.Count;
        var objects = new int[k];
        var pointedAt = new bool[gt.Annotations.Count];
        var counts = new int[Names.Length];
        foreach (var i in order)
        {
            if (outcome[i] == 2)
            {
                counts[type[i]]++;
                if (type[i] is Loc or Cls)
                {
                    pointedAt[target[i]] = true;
                }
            }
        }

        var missed = new int[k];
        for (var a = 0; a < gt.Annotations.Count; a++)
        {
            if (!gt.Annotations[a].IsCrowd)
            {
                objects[gt.AnnCategory[a]]++;
                if (double.IsNegativeInfinity(gtScore[a]) && !pointedAt[a])
                {
                    missed[gt.AnnCategory[a]]++;
                    counts[Missed]++;
                }
            }
        }

        var baseAp = MeanAp(0);
        var errors = new ErrorImpact[Names.Length - 1];
        for (var t = Cls; t <= Missed; t++)
        {
            errors[t - 1] = new ErrorImpact(Names[t], counts[t], MeanAp(t) - baseAp);
        }

        return new ErrorBreakdown(fg, bg, baseAp, errors);

        double MeanAp(byte fix)
        {
            var hits = new List<bool>[k];
            for (var c = 0; c < k; c++)
            {
                hits[c] = [];
            }

            var taken = new bool[gt.Annotations.Count];
            for (var a = 0; a < taken.Length; a++)
            {
                taken[a] = !double.IsNegativeInfinity(gtScore[a]);
            }

            foreach (var i in order)
            {
                var c = res.DetCategory[i];
                if (outcome[i] == 1 || type[i] != fix)
                {
                    hits[c].Add(outcome[i] == 1);
                }
                else if (fix is Loc or Cls && !taken[target[i]])
                {
                    taken[target[i]] = true;
                    hits[gt.AnnCategory[target[i]]].Add(true);
                }
            }

            double sum = 0;
            var n = 0;
            for (var c = 0; c < k; c++)
            {
                if (objects[c] > 0)
                {
                    sum += Ap(hits[c], objects[c] - (fix == Missed ? missed[c] : 0));
                    n++;
                }
            }

            return n == 0 ? 0 : sum / n;
        }
    }

    /// <summary>COCO's 101-point interpolated AP of hits in score order against <paramref name="objects"/> objects (0 when there are none).</summary>
    internal static double Ap(IReadOnlyList<bool> hits, int objects)
    {
        if (objects <= 0)
        {
            return 0;
        }

        var n = hits.Count;
        var precision = new double[n];
        var recall = new double[n];
        var tp = 0;
        for (var i = 0; i < n; i++)
        {
            tp += hits[i] ? 1 : 0;
            precision[i] = (double)tp / (i + 1);
            recall[i] = (double)tp / objects;
        }

        for (var i = n - 1; i > 0; i--)
        {
            precision[i - 1] = Math.Max(precision[i - 1], precision[i]);
        }

        double sum = 0;
        var at = 0;
        var thresholds = CocoParams.Default.RecallThresholds;
        foreach (var threshold in thresholds)
        {
            while (at < n && recall[at] < threshold)
            {
                at++;
            }

            sum += at < n ? precision[at] : 0;
        }

        return sum / thresholds.Count;
    }

    private static CocoBox BoxOf(PreparedMask m) => new(m.X, m.Y, m.W, m.H);

    private static int[][] Group(int[] imageOf, int nImg, Func<int, bool> keep)
    {
        var lists = new List<int>[nImg];
        for (var i = 0; i < imageOf.Length; i++)
        {
            if (keep(i))
            {
                (lists[imageOf[i]] ??= []).Add(i);
            }
        }

        return [.. lists.Select(l => l is null ? [] : l.ToArray())];
    }
}
