using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Coco.Internal;

namespace Cairn.Evaluation.Diagnostics.Internal;

/// <summary>Computes <see cref="DetectionDiagnostics"/>: one class-aware matching pass at every IoU threshold, then sweeps.</summary>
internal static class DiagnosticsBuilder
{
    private const byte Tp = 1;
    private const byte Fp = 2;

    // TIDE's foreground and background IoUs.
    private const double TideForeground = 0.5;
    private const double TideBackground = 0.1;

    public static DetectionDiagnostics Build(CocoResults results, DiagnosticsOptions o, CancellationToken ct)
    {
        var gt = results.GroundTruth;
        var dets = results.DetectionArray;
        var data = new CocoPrepared(results, o.IouType);
        var thresholds = CocoParams.Default.IouThresholds.Append(o.IouThreshold).Append(TideForeground).Distinct().Order().ToArray();
        var main = Array.IndexOf(thresholds, o.IouThreshold);
        var match = new ClassMatcher(data, thresholds, main, o.MaxDetections);
        match.Run(ct);

        // Detections that count at the main threshold, best first.
        var kept = new List<int>(dets.Length);
        for (var i = 0; i < dets.Length; i++)
        {
            if (match.Outcome[main][i] != 0)
            {
                kept.Add(i);
            }
        }

        var order = kept.ToArray();
        Array.Sort(order, (x, y) =>
        {
            var c = dets[y].Score.CompareTo(dets[x].Score);
            return c != 0 ? c : x.CompareTo(y);
        });

        var k = gt.Categories.Count;
        var gtPerClass = new int[k];
        var totalGt = 0;
        for (var i = 0; i < gt.Annotations.Count; i++)
        {
            if (!gt.Annotations[i].IsCrowd)
            {
                gtPerClass[gt.AnnCategory[i]]++;
                totalGt++;
            }
        }

        var outcome = match.Outcome[main];
        var (curve, bestConf) = PrCurve(order, dets, outcome, totalGt, o.MaxCurvePoints);
        var conf = o.ConfidenceThreshold ?? bestConf;

        // Overall, per class and per image counts at (main IoU, conf).
        var tpC = new int[k];
        var fpC = new int[k];
        var detC = new int[k];
        var imgTp = new int[gt.Images.Count];
        var imgFp = new int[gt.Images.Count];
        var imgFn = new int[gt.Images.Count];
        double iouSum = 0;
        var tpIous = new List<double>();
        foreach (var i in order)
        {
            var c = results.DetCategory[i];
            detC[c]++;
            if (dets[i].Score < conf)
            {
                continue;
            }

            if (outcome[i] == Tp)
            {
                tpC[c]++;
                imgTp[results.DetImage[i]]++;
                iouSum += match.MatchIou[i];
                tpIous.Add(match.MatchIou[i]);
            }
            else
            {
                fpC[c]++;
                imgFp[results.DetImage[i]]++;
            }
        }

        for (var g = 0; g < gt.Annotations.Count; g++)
        {
            if (!gt.Annotations[g].IsCrowd && !(match.GtMatchScore[main][g] >= conf))
            {
                imgFn[gt.AnnImage[g]]++;
            }
        }

        var byClass = new List<int>[k];
        for (var c = 0; c < k; c++)
        {
            byClass[c] = new List<int>(detC[c]);
        }

        foreach (var i in order)
        {
            byClass[results.DetCategory[i]].Add(i); // stays in score order
        }

        var classes = new ClassDiagnostics[k];
        for (var c = 0; c < k; c++)
        {
            var cat = gt.Categories[c];
            var classOrder = byClass[c].ToArray();
            var (classCurve, _) = PrCurve(classOrder, dets, outcome, gtPerClass[c], o.MaxCurvePoints);
            classes[c] = new ClassDiagnostics(cat.Id, cat.Name, gtPerClass[c], detC[c], new OutcomeCounts(tpC[c], fpC[c], gtPerClass[c] - tpC[c]), classCurve);
        }

        var images = gt.Images.Select((im, i) => new ImageOutcome(im.Id, im.FileName, imgTp[i], imgFp[i], imgFn[i])).ToArray();
        var tpAll = tpC.Sum();
        var fpAll = fpC.Sum();
        var overall = new OutcomeCounts(tpAll, fpAll, totalGt - tpAll);

        // P/R/F1 against confidence, and against IoU at the chosen confidence.
        var sweep = new List<ThresholdPoint>(101);
        var scoresDesc = order.Select(i => dets[i].Score).ToArray();
        var cumTp = new int[order.Length + 1];
        for (var j = 0; j < order.Length; j++)
        {
            cumTp[j + 1] = cumTp[j] + (outcome[order[j]] == Tp ? 1 : 0);
        }

        foreach (var c in CocoParams.Linspace(0, 1, 101))
        {
            var n = CountAtLeast(scoresDesc, c);
            var counts = new OutcomeCounts(cumTp[n], n - cumTp[n], totalGt - cumTp[n]);
            sweep.Add(new ThresholdPoint(c, counts.Precision, counts.Recall, counts.F1));
        }

        var iouSweep = new List<ThresholdPoint>();
        foreach (var t in CocoParams.Default.IouThresholds)
        {
            var ti = Array.IndexOf(thresholds, t);
            int tp = 0, fp = 0;
            for (var i = 0; i < dets.Length; i++)
            {
                if (dets[i].Score < conf)
                {
                    continue;
                }

                if (match.Outcome[ti][i] == Tp)
                {
                    tp++;
                }
                else if (match.Outcome[ti][i] == Fp)
                {
                    fp++;
                }
            }

            var counts = new OutcomeCounts(tp, fp, totalGt - tp);
            iouSweep.Add(new ThresholdPoint(t, counts.Precision, counts.Recall, counts.F1));
        }

        var confusion = new AgnosticMatcher(data, o.IouThreshold, conf, match).Run(ct);
        var tpConf = new List<double>();
        var fpConf = new List<double>();
        foreach (var i in order)
        {
            (outcome[i] == Tp ? tpConf : fpConf).Add(dets[i].Score);
        }

        var errors = ErrorAnalysis.Run(data, match, Array.IndexOf(thresholds, TideForeground), TideForeground, TideBackground, ct);
        var iouLo = Math.Floor(o.IouThreshold * 20) / 20;
        return new DetectionDiagnostics
        {
            IouThreshold = o.IouThreshold,
            ConfidenceThreshold = conf,
            ConfidenceIsF1Optimal = o.ConfidenceThreshold is null,
            GroundTruths = totalGt,
            Overall = overall,
            Classes = classes,
            Images = images,
            PrCurve = curve,
            ConfidenceSweep = sweep,
            IouSweep = iouSweep,
            Confusion = confusion.Matrix,
            ConfusedPairs = confusion.Pairs,
            TpIouHistogram = Histogram(tpIous, iouLo, 1, (int)Math.Round((1 - iouLo) * 20)),
            MeanTpIou = tpAll == 0 ? 0 : iouSum / tpAll,
            LocalizedMatches = confusion.Localized,
            ClassificationAccuracy = confusion.Localized == 0 ? 0 : (double)confusion.Correct / confusion.Localized,
            Calibration = Calibrate(order, dets, outcome, o.CalibrationBins),
            TpConfidence = Histogram(tpConf, 0, 1, 20),
            FpConfidence = Histogram(fpConf, 0, 1, 20),
            Errors = errors,
        };
    }

    /// <summary>Number of leading entries of a descending array that are ≥ <paramref name="c"/>.</summary>
    private static int CountAtLeast(double[] desc, double c)
    {
        int lo = 0, hi = desc.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (desc[mid] >= c)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>PR curve over score groups (ties enter together) and the confidence of the best F1.</summary>
    internal static (CurvePoint[] Curve, double BestConfidence) PrCurve(int[] order, CocoDetection[] dets, byte[] outcome, int groundTruths, int maxPoints)
    {
        var points = new List<CurvePoint>();
        int tp = 0, fp = 0;
        double bestF1 = -1, bestConf = 1;
        for (var j = 0; j < order.Length; j++)
        {
            if (outcome[order[j]] == Tp)
            {
                tp++;
            }
            else
            {
                fp++;
            }

            var s = dets[order[j]].Score;
            if (j + 1 < order.Length && dets[order[j + 1]].Score == s)
            {
                continue;
            }

            var counts = new OutcomeCounts(tp, fp, groundTruths - tp);
            points.Add(new CurvePoint(counts.Recall, counts.Precision, s));
            if (counts.F1 > bestF1)
            {
                bestF1 = counts.F1;
                bestConf = s;
            }
        }

        return (Thin(points, maxPoints), bestConf);
    }

    /// <summary>Keeps at most about <paramref name="max"/> points, spread evenly over the curve, always keeping the ends.</summary>
    private static CurvePoint[] Thin(List<CurvePoint> points, int max)
    {
        if (points.Count <= max)
        {
            return [.. points];
        }

        var step = (double)(points.Count - 1) / (max - 1);
        var result = new CurvePoint[max];
        for (var i = 0; i < max; i++)
        {
            result[i] = points[(int)Math.Round(i * step)];
        }

        return result;
    }

    internal static HistogramBin[] Histogram(IReadOnlyList<double> values, double lo, double hi, int bins)
    {
        bins = Math.Max(1, bins);
        var counts = new int[bins];
        var width = (hi - lo) / bins;
        foreach (var v in values)
        {
            var b = (int)Math.Floor((v - lo) * bins / (hi - lo));
            counts[Math.Clamp(b, 0, bins - 1)]++;
        }

        return [.. Enumerable.Range(0, bins).Select(b => new HistogramBin(lo + (b * width), b == bins - 1 ? hi : lo + ((b + 1) * width), counts[b]))];
    }

    internal static Calibration Calibrate(int[] order, CocoDetection[] dets, byte[] outcome, int bins)
    {
        var n = new int[bins];
        var conf = new double[bins];
        var hit = new int[bins];
        foreach (var i in order)
        {
            var s = dets[i].Score;
            var b = Math.Clamp((int)Math.Floor(s * bins), 0, bins - 1);
            n[b]++;
            conf[b] += s;
            if (outcome[i] == Tp)
            {
                hit[b]++;
            }
        }

        var total = order.Length;
        double ece = 0, mce = 0;
        var result = new CalibrationBin[bins];
        for (var b = 0; b < bins; b++)
        {
            var meanConf = n[b] == 0 ? 0 : conf[b] / n[b];
            var acc = n[b] == 0 ? 0 : (double)hit[b] / n[b];
            result[b] = new CalibrationBin((double)b / bins, (double)(b + 1) / bins, n[b], meanConf, acc);
            if (n[b] > 0)
            {
                var gap = Math.Abs(acc - meanConf);
                ece += (double)n[b] / total * gap;
                mce = Math.Max(mce, gap);
            }
        }

        return new Calibration(ece, mce, result);
    }
}
