namespace Cairn.Evaluation.Voc;

/// <summary>
/// PASCAL VOC average precision with the +1 pixel convention (a box from x to x + w covers w + 1 pixels),
/// as rafaelpadilla/Object-Detection-Metrics computes it: detections ranked by confidence (stable), each
/// matched to the unmatched ground truth of highest IoU on its image when that IoU reaches the threshold.
/// </summary>
public static class VocEvaluator
{
    /// <summary>AP per class present in the ground truth or the detections, ordered by class name.</summary>
    public static IReadOnlyList<VocClassResult> Evaluate(IReadOnlyList<VocBox> groundTruths, IReadOnlyList<VocBox> detections, double iouThreshold, VocInterpolation method)
    {
        ArgumentNullException.ThrowIfNull(groundTruths);
        ArgumentNullException.ThrowIfNull(detections);
        var classes = groundTruths.Select(g => g.ClassName).Concat(detections.Select(d => d.ClassName)).Distinct().Order(StringComparer.Ordinal);
        return [.. classes.Select(c => EvaluateClass(groundTruths, detections, c, iouThreshold, method))];
    }

    /// <summary>AP of one class.</summary>
    public static VocClassResult EvaluateClass(IReadOnlyList<VocBox> groundTruths, IReadOnlyList<VocBox> detections, string className, double iouThreshold, VocInterpolation method)
    {
        ArgumentNullException.ThrowIfNull(groundTruths);
        ArgumentNullException.ThrowIfNull(detections);
        var gts = groundTruths.Where(g => g.ClassName == className).ToArray();
        var byImage = gts.Select((g, i) => (g, i)).GroupBy(x => x.g.ImageId).ToDictionary(x => x.Key, x => x.Select(y => y.i).ToArray());
        var used = new bool[gts.Length];

        // OrderByDescending is stable, like Python's sorted(..., reverse=True).
        var dets = detections.Where(d => d.ClassName == className).OrderByDescending(d => d.Confidence).ToArray();
        var precision = new double[dets.Length];
        var recall = new double[dets.Length];
        int tp = 0, fp = 0;
        for (var i = 0; i < dets.Length; i++)
        {
            var d = dets[i];
            var best = double.MinValue;
            var jmax = -1;
            if (byImage.TryGetValue(d.ImageId, out var candidates))
            {
                foreach (var j in candidates)
                {
                    var iou = Iou(d, gts[j]);
                    if (iou > best)
                    {
                        best = iou;
                        jmax = j;
                    }
                }
            }

            if (jmax >= 0 && best >= iouThreshold && !used[jmax])
            {
                used[jmax] = true;
                tp++;
            }
            else
            {
                fp++;
            }

            recall[i] = gts.Length == 0 ? 0 : (double)tp / gts.Length;
            precision[i] = (double)tp / (fp + tp);
        }

        var ap = method == VocInterpolation.AllPoint ? AllPointAp(recall, precision) : ElevenPointAp(recall, precision);
        return new VocClassResult(className, ap, gts.Length, tp, fp, precision, recall);
    }

    /// <summary>IoU with the +1 pixel convention on boxes given as (left, top, width, height); 0 when they do not touch.</summary>
    public static double Iou(VocBox a, VocBox b)
    {
        double ax1 = a.Left, ay1 = a.Top, ax2 = a.Left + a.Width, ay2 = a.Top + a.Height;
        double bx1 = b.Left, by1 = b.Top, bx2 = b.Left + b.Width, by2 = b.Top + b.Height;
        if (ax1 > bx2 || bx1 > ax2 || ay2 < by1 || ay1 > by2)
        {
            return 0;
        }

        var inter = (Math.Min(ax2, bx2) - Math.Max(ax1, bx1) + 1) * (Math.Min(ay2, by2) - Math.Max(ay1, by1) + 1);
        var areaA = (ax2 - ax1 + 1) * (ay2 - ay1 + 1);
        var areaB = (bx2 - bx1 + 1) * (by2 - by1 + 1);
        return inter / (areaA + areaB - inter);
    }

    /// <summary>All-point interpolated AP: sum over recall changes of Δrecall × the precision envelope.</summary>
    public static double AllPointAp(IReadOnlyList<double> recall, IReadOnlyList<double> precision)
    {
        ArgumentNullException.ThrowIfNull(recall);
        ArgumentNullException.ThrowIfNull(precision);
        var n = recall.Count;
        var mrec = new double[n + 2];
        var mpre = new double[n + 2];
        mrec[n + 1] = 1;
        for (var i = 0; i < n; i++)
        {
            mrec[i + 1] = recall[i];
            mpre[i + 1] = precision[i];
        }

        for (var i = mpre.Length - 1; i > 0; i--)
        {
            mpre[i - 1] = Math.Max(mpre[i - 1], mpre[i]);
        }

        double ap = 0;
        for (var i = 1; i < mrec.Length; i++)
        {
            if (mrec[i] != mrec[i - 1])
            {
                ap += (mrec[i] - mrec[i - 1]) * mpre[i];
            }
        }

        return ap;
    }

    /// <summary>11-point interpolated AP: mean over r in {0, .1, …, 1} of the highest precision at recall ≥ r.</summary>
    public static double ElevenPointAp(IReadOnlyList<double> recall, IReadOnlyList<double> precision)
    {
        ArgumentNullException.ThrowIfNull(recall);
        ArgumentNullException.ThrowIfNull(precision);
        var points = Coco.CocoParams.Linspace(0, 1, 11);
        double sum = 0;
        foreach (var r in points)
        {
            var pmax = 0.0;
            for (var i = 0; i < recall.Count; i++)
            {
                if (recall[i] >= r)
                {
                    pmax = Math.Max(pmax, precision[i]);
                }
            }

            sum += pmax;
        }

        return sum / 11;
    }
}
