using System.Globalization;
using System.Text;

namespace Cairn.Evaluation.Coco;

/// <summary>
/// The outcome of a COCO evaluation: the 12 summary stats, and pycocotools' precision array
/// [T, R, K, A, M] and recall array [T, K, A, M] (flattened, row-major, -1 where undefined).
/// </summary>
public sealed class CocoEvalResult
{
    /// <summary>Names of the 12 stats, in order.</summary>
    public static readonly IReadOnlyList<string> StatNames =
    [
        "AP@[.50:.95]", "AP50", "AP75", "AP_small", "AP_medium", "AP_large",
        "AR@1", "AR@10", "AR@100", "AR_small", "AR_medium", "AR_large",
    ];

    internal CocoEvalResult(IouType iouType, CocoParams parameters, IReadOnlyList<CocoCategory> categories, double[] precision, double[] recall, string groundTruthFingerprint)
    {
        IouType = iouType;
        Params = parameters;
        Categories = categories;
        Precision = precision;
        Recall = recall;
        GroundTruthFingerprint = groundTruthFingerprint;
        Stats = Summarize();
    }

    /// <summary>Box or mask evaluation.</summary>
    public IouType IouType { get; }

    /// <summary>The parameters used.</summary>
    public CocoParams Params { get; }

    /// <summary>Categories in evaluation order (by id); index k of the arrays.</summary>
    public IReadOnlyList<CocoCategory> Categories { get; }

    /// <summary>Precision [T, R, K, A, M], flattened row-major.</summary>
    public double[] Precision { get; }

    /// <summary>Recall [T, K, A, M], flattened row-major.</summary>
    public double[] Recall { get; }

    /// <summary>The 12 COCO summary numbers (see <see cref="StatNames"/>), -1 where undefined.</summary>
    public IReadOnlyList<double> Stats { get; }

    /// <summary>Fingerprint of the ground truth evaluated against.</summary>
    public string GroundTruthFingerprint { get; }

    private int T => Params.IouThresholds.Count;

    private int R => Params.RecallThresholds.Count;

    private int K => Categories.Count;

    private int A => Params.AreaRanges.Count;

    private int M => Params.MaxDetections.Count;

    /// <summary>precision[t, r, k, a, m].</summary>
    public double PrecisionAt(int t, int r, int k, int a, int m) => Precision[(((((((t * R) + r) * K) + k) * A) + a) * M) + m];

    /// <summary>recall[t, k, a, m].</summary>
    public double RecallAt(int t, int k, int a, int m) => Recall[(((((t * K) + k) * A) + a) * M) + m];

    /// <summary>
    /// AP of category index k: mean of precision[:, :, k, area, maxDets] over defined entries (-1 when none),
    /// optionally at one IoU threshold index.
    /// </summary>
    public double CategoryAp(int k, int? iouIndex = null, int areaIndex = 0, int? maxDetIndex = null)
    {
        var m = maxDetIndex ?? (M - 1);
        double sum = 0;
        var n = 0;
        for (var t = 0; t < T; t++)
        {
            if (iouIndex is not null && t != iouIndex)
            {
                continue;
            }

            for (var r = 0; r < R; r++)
            {
                var v = PrecisionAt(t, r, k, areaIndex, m);
                if (v > -1)
                {
                    sum += v;
                    n++;
                }
            }
        }

        return n == 0 ? -1 : sum / n;
    }

    /// <summary>AR of category index k at the largest maxDets, area all: mean recall over IoU thresholds (-1 when undefined).</summary>
    public double CategoryAr(int k, int areaIndex = 0)
    {
        double sum = 0;
        var n = 0;
        for (var t = 0; t < T; t++)
        {
            var v = RecallAt(t, k, areaIndex, M - 1);
            if (v > -1)
            {
                sum += v;
                n++;
            }
        }

        return n == 0 ? -1 : sum / n;
    }

    /// <summary>The 12-line summary exactly as pycocotools prints it.</summary>
    public string Summary()
    {
        var sb = new StringBuilder();
        var md = Params.MaxDetections;
        void Line(int i, bool ap, double? iou, string area, int maxDets)
        {
            var title = ap ? "Average Precision" : "Average Recall";
            var type = ap ? "(AP)" : "(AR)";
            var iouStr = iou is null
                ? string.Create(CultureInfo.InvariantCulture, $"{Params.IouThresholds[0]:0.00}:{Params.IouThresholds[^1]:0.00}")
                : iou.Value.ToString("0.00", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $" {title,-18} {type} @[ IoU={iouStr,-9} | area={area,6} | maxDets={maxDets,3} ] = {FormatStat(Stats[i])}\n");
        }

        Line(0, true, null, "all", 100);
        Line(1, true, .5, "all", md[Math.Min(2, md.Count - 1)]);
        Line(2, true, .75, "all", md[Math.Min(2, md.Count - 1)]);
        Line(3, true, null, "small", md[Math.Min(2, md.Count - 1)]);
        Line(4, true, null, "medium", md[Math.Min(2, md.Count - 1)]);
        Line(5, true, null, "large", md[Math.Min(2, md.Count - 1)]);
        Line(6, false, null, "all", md[0]);
        Line(7, false, null, "all", md[Math.Min(1, md.Count - 1)]);
        Line(8, false, null, "all", md[Math.Min(2, md.Count - 1)]);
        Line(9, false, null, "small", md[Math.Min(2, md.Count - 1)]);
        Line(10, false, null, "medium", md[Math.Min(2, md.Count - 1)]);
        Line(11, false, null, "large", md[Math.Min(2, md.Count - 1)]);
        return sb.ToString();
    }

    private static string FormatStat(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

    private double[] Summarize()
    {
        var md = Params.MaxDetections;
        var m2 = md[Math.Min(2, md.Count - 1)];
        return
        [
            Mean(true, null, "all", 100),
            Mean(true, .5, "all", m2),
            Mean(true, .75, "all", m2),
            Mean(true, null, "small", m2),
            Mean(true, null, "medium", m2),
            Mean(true, null, "large", m2),
            Mean(false, null, "all", md[0]),
            Mean(false, null, "all", md[Math.Min(1, md.Count - 1)]),
            Mean(false, null, "all", m2),
            Mean(false, null, "small", m2),
            Mean(false, null, "medium", m2),
            Mean(false, null, "large", m2),
        ];
    }

    /// <summary>pycocotools' _summarize: the mean of the selected cells that are &gt; -1, or -1 when none is.</summary>
    private double Mean(bool ap, double? iouThr, string area, int maxDets)
    {
        var tSel = new bool[T];
        for (var t = 0; t < T; t++)
        {
            tSel[t] = iouThr is null || Params.IouThresholds[t] == iouThr.Value;
        }

        double sum = 0;
        long n = 0;
        for (var a = 0; a < A; a++)
        {
            if (Params.AreaRanges[a].Label != area)
            {
                continue;
            }

            for (var m = 0; m < M; m++)
            {
                if (Params.MaxDetections[m] != maxDets)
                {
                    continue;
                }

                for (var t = 0; t < T; t++)
                {
                    if (!tSel[t])
                    {
                        continue;
                    }

                    for (var k = 0; k < K; k++)
                    {
                        if (ap)
                        {
                            for (var r = 0; r < R; r++)
                            {
                                var v = PrecisionAt(t, r, k, a, m);
                                if (v > -1)
                                {
                                    sum += v;
                                    n++;
                                }
                            }
                        }
                        else
                        {
                            var v = RecallAt(t, k, a, m);
                            if (v > -1)
                            {
                                sum += v;
                                n++;
                            }
                        }
                    }
                }
            }
        }

        return n == 0 ? -1 : sum / n;
    }
}
