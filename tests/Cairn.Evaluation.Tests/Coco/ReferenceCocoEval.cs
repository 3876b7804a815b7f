using Cairn.Evaluation.Coco;

namespace Cairn.Evaluation.Tests.Coco;

/// <summary>
/// A deliberately plain, line-by-line transliteration of pycocotools' COCOeval (bbox only): dictionaries keyed by
/// (image, category), LINQ stable sorts, numpy's accumulate loop as written. Slow, but easy to check against the
/// Python source, so the optimised engine can be compared with it on data too large to ship expected values for.
/// </summary>
internal static class ReferenceCocoEval
{
    private const double Eps = 2.220446049250313e-16; // np.spacing(1)

    public static (double[] Precision, double[] Recall) Run(CocoResults results)
    {
        var gt = results.GroundTruth;
        var p = CocoParams.Default;
        var imgIds = gt.Images.Select(i => i.Id).Order().ToList();
        var catIds = gt.Categories.Select(c => c.Id).Order().ToList();
        var gts = new Dictionary<(long, long), List<(CocoAnnotation A, int Index)>>();
        var dts = new Dictionary<(long, long), List<(CocoDetection D, long Id)>>();
        for (var i = 0; i < gt.Annotations.Count; i++)
        {
            var a = gt.Annotations[i];
            Get(gts, (a.ImageId, a.CategoryId)).Add((a, i));
        }

        for (var i = 0; i < results.Detections.Count; i++)
        {
            var d = results.Detections[i];
            Get(dts, (d.ImageId, d.CategoryId)).Add((d, i + 1));
        }

        var maxDet = p.MaxDetections[^1];
        var ious = new Dictionary<(long, long), double[,]>();
        foreach (var img in imgIds)
        {
            foreach (var cat in catIds)
            {
                var g = Get(gts, (img, cat));
                var d = Get(dts, (img, cat)).OrderBy(x => -x.D.Score).Take(maxDet).ToList();
                var o = new double[d.Count, g.Count];
                for (var i = 0; i < d.Count; i++)
                {
                    for (var j = 0; j < g.Count; j++)
                    {
                        o[i, j] = BbIou(d[i].D.Box!.Value, g[j].A.Box, g[j].A.IsCrowd);
                    }
                }

                ious[(img, cat)] = o;
            }
        }

        var evalImgs = new List<EvalImg?>();
        foreach (var cat in catIds)
        {
            foreach (var area in p.AreaRanges)
            {
                foreach (var img in imgIds)
                {
                    evalImgs.Add(EvaluateImg(Get(gts, (img, cat)), Get(dts, (img, cat)), ious[(img, cat)], area, maxDet, p));
                }
            }
        }

        int tN = p.IouThresholds.Count, rN = p.RecallThresholds.Count, kN = catIds.Count, aN = p.AreaRanges.Count, mN = p.MaxDetections.Count;
        var precision = Enumerable.Repeat(-1.0, tN * rN * kN * aN * mN).ToArray();
        var recall = Enumerable.Repeat(-1.0, tN * kN * aN * mN).ToArray();
        var iN = imgIds.Count;
        for (var k = 0; k < kN; k++)
        {
            for (var a = 0; a < aN; a++)
            {
                for (var m = 0; m < mN; m++)
                {
                    var md = p.MaxDetections[m];
                    var e = Enumerable.Range(0, iN).Select(i => evalImgs[(k * aN * iN) + (a * iN) + i]).Where(x => x is not null).Select(x => x!).ToList();
                    if (e.Count == 0)
                    {
                        continue;
                    }

                    var entries = e.SelectMany(x => x.DtScores.Take(md).Select((s, j) => (Score: s, Img: x, J: j))).ToList();
                    var inds = Enumerable.Range(0, entries.Count).OrderBy(i => -entries[i].Score).ToList();
                    var npig = e.Sum(x => x.GtIgnore.Count(ig => !ig));
                    if (npig == 0)
                    {
                        continue;
                    }

                    for (var t = 0; t < tN; t++)
                    {
                        var tps = inds.Select(i => entries[i].Img.DtMatches[t, entries[i].J] != 0 && !entries[i].Img.DtIgnore[t, entries[i].J]).ToList();
                        var fps = inds.Select(i => entries[i].Img.DtMatches[t, entries[i].J] == 0 && !entries[i].Img.DtIgnore[t, entries[i].J]).ToList();
                        var nd = tps.Count;
                        var rc = new double[nd];
                        var pr = new double[nd];
                        double tpSum = 0, fpSum = 0;
                        for (var i = 0; i < nd; i++)
                        {
                            tpSum += tps[i] ? 1 : 0;
                            fpSum += fps[i] ? 1 : 0;
                            rc[i] = tpSum / npig;
                            pr[i] = tpSum / (fpSum + tpSum + Eps);
                        }

                        recall[(((((t * kN) + k) * aN) + a) * mN) + m] = nd > 0 ? rc[^1] : 0;
                        for (var i = nd - 1; i > 0; i--)
                        {
                            if (pr[i] > pr[i - 1])
                            {
                                pr[i - 1] = pr[i];
                            }
                        }

                        var q = new double[rN];
                        for (var ri = 0; ri < rN; ri++)
                        {
                            var pi = 0;
                            while (pi < nd && rc[pi] < p.RecallThresholds[ri])
                            {
                                pi++;
                            }

                            if (pi >= nd)
                            {
                                break; // numpy raises IndexError here and the rest stay 0
                            }

                            q[ri] = pr[pi];
                        }

                        for (var ri = 0; ri < rN; ri++)
                        {
                            precision[(((((((t * rN) + ri) * kN) + k) * aN) + a) * mN) + m] = q[ri];
                        }
                    }
                }
            }
        }

        return (precision, recall);
    }

    private static EvalImg? EvaluateImg(List<(CocoAnnotation A, int Index)> gtIn, List<(CocoDetection D, long Id)> dtIn, double[,] ious, CocoAreaRange aRng, int maxDet, CocoParams p)
    {
        if (gtIn.Count == 0 && dtIn.Count == 0)
        {
            return null;
        }

        var ignore = gtIn.Select(g => g.A.IsCrowd || g.A.Area < aRng.Min || g.A.Area > aRng.Max).ToList();
        var gtind = Enumerable.Range(0, gtIn.Count).OrderBy(i => ignore[i] ? 1 : 0).ToList();
        var gt = gtind.Select(i => gtIn[i]).ToList();
        var gtIg = gtind.Select(i => ignore[i]).ToArray();
        var dt = dtIn.OrderBy(x => -x.D.Score).Take(maxDet).ToList();
        int tN = p.IouThresholds.Count, gN = gt.Count, dN = dt.Count;
        var gtm = new long[tN, gN];
        var dtm = new long[tN, dN];
        var dtIg = new bool[tN, dN];
        if (dN > 0 && gN > 0)
        {
            for (var t = 0; t < tN; t++)
            {
                for (var d = 0; d < dN; d++)
                {
                    var iou = Math.Min(p.IouThresholds[t], 1 - 1e-10);
                    var m = -1;
                    for (var g = 0; g < gN; g++)
                    {
                        if (gtm[t, g] > 0 && !gt[g].A.IsCrowd)
                        {
                            continue;
                        }

                        if (m > -1 && !gtIg[m] && gtIg[g])
                        {
                            break;
                        }

                        if (ious[d, gtind[g]] < iou)
                        {
                            continue;
                        }

                        iou = ious[d, gtind[g]];
                        m = g;
                    }

                    if (m == -1)
                    {
                        continue;
                    }

                    dtIg[t, d] = gtIg[m];
                    dtm[t, d] = gt[m].A.Id;
                    gtm[t, m] = dt[d].Id;
                }
            }
        }

        for (var t = 0; t < tN; t++)
        {
            for (var d = 0; d < dN; d++)
            {
                var area = dt[d].D.Box!.Value.Width * dt[d].D.Box!.Value.Height;
                dtIg[t, d] = dtIg[t, d] || (dtm[t, d] == 0 && (area < aRng.Min || area > aRng.Max));
            }
        }

        return new EvalImg([.. dt.Select(x => x.D.Score)], dtm, dtIg, gtIg);
    }

    private static double BbIou(CocoBox d, CocoBox g, bool crowd)
    {
        var w = Math.Min(d.Width + d.X, g.Width + g.X) - Math.Max(d.X, g.X);
        if (w <= 0)
        {
            return 0;
        }

        var h = Math.Min(d.Height + d.Y, g.Height + g.Y) - Math.Max(d.Y, g.Y);
        if (h <= 0)
        {
            return 0;
        }

        var i = w * h;
        var da = d.Width * d.Height;
        var u = crowd ? da : da + (g.Width * g.Height) - i;
        return i / u;
    }

    private static List<T> Get<TK, T>(Dictionary<TK, List<T>> d, TK key)
        where TK : notnull
    {
        if (!d.TryGetValue(key, out var l))
        {
            d[key] = l = [];
        }

        return l;
    }

    private sealed record EvalImg(double[] DtScores, long[,] DtMatches, bool[,] DtIgnore, bool[] GtIgnore);
}
