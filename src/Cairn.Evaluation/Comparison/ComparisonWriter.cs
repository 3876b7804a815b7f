using System.Globalization;
using System.Text;
using Cairn.Evaluation.Reports.Internal;
using static Cairn.Evaluation.Reports.Internal.Svg;

namespace Cairn.Evaluation.Comparison;

/// <summary>Renders an <see cref="EvaluationComparison"/> as a self-contained HTML page.</summary>
public static class ComparisonWriter
{
    /// <summary>Writes the comparison report.</summary>
    public static void WriteHtml(EvaluationComparison comparison, string path)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        File.WriteAllText(path, RenderHtml(comparison), new UTF8Encoding(false));
    }

    /// <summary>The comparison as an HTML string.</summary>
    public static string RenderHtml(EvaluationComparison c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var evals = c.Evaluations;
        var first = evals[0];
        var sb = new StringBuilder();
        sb.Append("<section id=\"overview\"><h2>Evaluations</h2><p class=\"lead\">All share one ground truth (fingerprint <code>")
          .Append(E(first.Dataset.GroundTruthFingerprint[..Math.Min(16, first.Dataset.GroundTruthFingerprint.Length)]))
          .Append(CultureInfo.InvariantCulture, $"</code>: {first.Dataset.Images:N0} images, {first.Dataset.Categories} classes, {first.Dataset.Annotations:N0} objects). Deltas are against the first.</p><table><tr><th class=\"l\"></th><th class=\"l\">name</th><th class=\"l\">detections file</th><th>detections</th><th class=\"l\">evaluated</th></tr>");
        for (var i = 0; i < evals.Count; i++)
        {
            var e = evals[i];
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"l\"><span class=\"pill\" style=\"background:{Palette[i % Palette.Length]};color:#fff\">{i + 1}</span></td><td class=\"l\">{E(e.Name)}</td><td class=\"l\"><code>{E(e.Dataset.DetectionsPath)}</code></td><td>{e.Dataset.Detections:N0}</td><td class=\"l\">{E(e.CreatedUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))}</td></tr>");
        }

        sb.Append("</table></section>");
        sb.Append("<section id=\"key\"><h2>Key metrics</h2><p class=\"lead\">Best value per row in green bold; for false positives, false negatives and calibration error lower is better.</p>");
        sb.Append(Table(c.KeyMetrics, evals.Select(e => e.Name).ToList(), 2));
        sb.Append("</section>");
        if (evals.All(e => e.Diagnostics is not null))
        {
            var series = evals.Select((e, i) => new Series(e.Name, Palette[i % Palette.Length], [.. e.Diagnostics!.PrCurve.Select(p => (p.Recall, p.Precision))])).ToList();
            var f1 = evals.Select((e, i) => new Series(e.Name, Palette[i % Palette.Length], [.. e.Diagnostics!.ConfidenceSweep.Select(p => (p.Threshold, p.F1))])).ToList();
            sb.Append("<section id=\"pr\"><h2>PR curves</h2><p class=\"lead\">All classes pooled, at each evaluation's IoU threshold; and F1 against the confidence threshold.</p><div class=\"grid2\"><div>")
              .Append(LineChart(series, "recall", "precision")).Append("</div><div>")
              .Append(LineChart(f1, "confidence threshold", "F1")).Append("</div></div></section>");
        }

        sb.Append("<section id=\"ap\"><h2>AP per class</h2><p class=\"lead\">COCO AP (IoU .50:.95) per class; — where a class has no ground truth.</p><div class=\"scroll\">");
        sb.Append(Table(c.ApPerClass, evals.Select(e => e.Name).ToList(), 1, "class"));
        sb.Append("</div></section>");
        var subtitle = $"{evals.Count} evaluations · {E(first.IouType)} · {first.Dataset.Images:N0} images";
        return Html.Page("Model comparison", subtitle, [("overview", "Evaluations"), ("key", "Key metrics"), ("pr", "PR curves"), ("ap", "AP per class")], sb.ToString());
    }

    private static string Table(IReadOnlyList<MetricRow> rows, IReadOnlyList<string> names, int showDeltaFrom, string firstColumn = "metric")
    {
        var sb = new StringBuilder($"<table><tr><th class=\"l\">{firstColumn}</th>");
        for (var i = 0; i < names.Count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<th>{E(Trim(names[i], 28))}</th>");
            if (i > 0 && showDeltaFrom > 0)
            {
                sb.Append("<th>Δ</th>");
            }
        }

        sb.Append("</tr>");
        foreach (var r in rows)
        {
            var counts = r.Values.All(v => !double.IsFinite(v) || v == Math.Floor(v)) && r.Values.Any(v => v > 1);
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"l\">{E(r.Name)}</td>");
            for (var i = 0; i < r.Values.Count; i++)
            {
                var v = r.Values[i];
                var text = !double.IsFinite(v) || v < 0 ? "—" : counts ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("0.000", CultureInfo.InvariantCulture);
                sb.Append(CultureInfo.InvariantCulture, $"<td{(i == r.BestIndex && r.Values.Count > 1 ? " class=\"best\"" : string.Empty)}>{text}</td>");
                if (i > 0 && showDeltaFrom > 0)
                {
                    var d = r.DeltaFromFirst(i);
                    var ok = double.IsFinite(d) && r.Values[0] >= 0 && v >= 0;
                    var better = (d > 0) == r.HigherIsBetter;
                    var cls = !ok || d == 0 ? string.Empty : better ? " up" : " down";
                    var dt = !ok ? "" : counts ? d.ToString("+#,0;-#,0;0", CultureInfo.InvariantCulture) : d.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture);
                    sb.Append(CultureInfo.InvariantCulture, $"<td class=\"delta{cls}\">{dt}</td>");
                }
            }

            sb.Append("</tr>");
        }

        return sb.Append("</table>").ToString();
    }
}
