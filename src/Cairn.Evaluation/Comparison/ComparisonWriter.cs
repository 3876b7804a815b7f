using System.Globalization;
using System.Text;
using Cairn.Evaluation.Reports;
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
    public static string RenderHtml(EvaluationComparison c) => RenderHtml(c, null);

    /// <summary>
    /// The comparison as an HTML string, with the models' inference speed side by side when <paramref name="speeds"/>
    /// gives it (one entry per evaluation, in order; null where an evaluation has no speed test).
    /// </summary>
    public static string RenderHtml(EvaluationComparison c, IReadOnlyList<SpeedReport?>? speeds)
    {
        ArgumentNullException.ThrowIfNull(c);
        var nav = new List<(string Id, string Title)> { ("overview", "Evaluations"), ("key", "Key metrics") };
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
            nav.Add(("pr", "PR curves"));
            sb.Append("<section id=\"pr\"><h2>PR curves</h2><p class=\"lead\">All classes pooled, at each evaluation's IoU threshold; and F1 against the confidence threshold.</p><div class=\"grid2\"><div>")
              .Append(LineChart(series, "recall", "precision")).Append("</div><div>")
              .Append(LineChart(f1, "confidence threshold", "F1")).Append("</div></div></section>");
        }

        if (evals.All(e => e.Diagnostics is not null))
        {
            nav.Add(("per-class", "Precision & recall per class"));
            sb.Append("<section id=\"per-class\"><h2>Precision &amp; recall per class</h2>").Append(PerClass(evals)).Append("</section>");
            nav.Add(("confusion", "Confusion matrices"));
            sb.Append("<section id=\"confusion\"><h2>Confusion matrices</h2><p class=\"lead\">Each model's matrix at its own thresholds: rows are the true class, columns the predicted one; the background row holds detections that found nothing, the background column objects nothing found.</p><div class=\"grid2\">");
            for (var i = 0; i < evals.Count; i++)
            {
                var d = evals[i].Diagnostics!;
                sb.Append(CultureInfo.InvariantCulture, $"<div class=\"model-confusion\" data-model=\"{i + 1}\"><h3>{Pill(i)}{E(evals[i].Name)}</h3><p class=\"muted\">IoU ≥ {d.IouThreshold:0.00}, confidence ≥ {d.ConfidenceThreshold:0.000}</p>{ConfusionView.Render(d)}</div>");
            }

            sb.Append("</div></section>");
        }

        nav.Add(("ap", "AP per class"));
        sb.Append("<section id=\"ap\"><h2>AP per class</h2><p class=\"lead\">COCO AP (IoU .50:.95) per class; — where a class has no ground truth.</p><div class=\"scroll\">");
        sb.Append(Table(c.ApPerClass, evals.Select(e => e.Name).ToList(), 1, "class"));
        sb.Append("</div></section>");
        if (speeds is not null && speeds.Any(s => s is not null))
        {
            nav.Add(("speed", "Inference speed"));
            sb.Append("<section id=\"speed\"><h2>Inference speed</h2>").Append(Speed(evals, speeds)).Append("</section>");
        }

        var subtitle = $"{evals.Count} evaluations · {E(first.IouType)} · {first.Dataset.Images:N0} images";
        return Html.Page("Model comparison", subtitle, nav, sb.ToString());
    }

    private static string Pill(int i) => $"<span class=\"pill\" style=\"background:{Palette[i % Palette.Length]};color:#fff\">{i + 1}</span>";

    private static string N3(double v) => !double.IsFinite(v) || v < 0 ? "—" : v.ToString("0.000", CultureInfo.InvariantCulture);

    // Rows are the classes (most objects first), and each model has its precision, recall and F1 columns; the best
    // precision and recall of a row are marked.
    private static string PerClass(IReadOnlyList<EvaluationMetrics> evals)
    {
        var first = evals[0].Diagnostics!;
        var sb = new StringBuilder("<p class=\"lead\">At each model's IoU and confidence thresholds; best precision and recall per class in green bold.</p><div class=\"scroll\"><table class=\"per-class\"><tr><th class=\"l\" rowspan=\"2\">class</th><th rowspan=\"2\">objects</th>");
        for (var i = 0; i < evals.Count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<th colspan=\"3\" class=\"model\">{Pill(i)}{E(Trim(evals[i].Name, 28))}</th>");
        }

        sb.Append("</tr><tr>");
        for (var i = 0; i < evals.Count; i++)
        {
            sb.Append("<th>precision</th><th>recall</th><th>F1</th>");
        }

        sb.Append("</tr>");
        foreach (var cls in first.Classes.OrderByDescending(c => c.GroundTruths).ThenBy(c => c.CategoryId))
        {
            var rows = evals.Select(e => e.Diagnostics!.Classes.FirstOrDefault(x => x.Name == cls.Name)).ToList();
            var bestP = Best(rows.Select(r => r?.Precision ?? double.NaN));
            var bestR = Best(rows.Select(r => r?.Recall ?? double.NaN));
            sb.Append(CultureInfo.InvariantCulture, $"<tr data-class=\"{E(cls.Name)}\"><td class=\"l\">{E(cls.Name)}</td><td>{cls.GroundTruths:N0}</td>");
            for (var i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                sb.Append(CultureInfo.InvariantCulture, $"<td{(i == bestP ? " class=\"best\"" : string.Empty)}>{N3(r?.Precision ?? double.NaN)}</td><td{(i == bestR ? " class=\"best\"" : string.Empty)}>{N3(r?.Recall ?? double.NaN)}</td><td>{N3(r?.F1 ?? double.NaN)}</td>");
            }

            sb.Append("</tr>");
        }

        return sb.Append("</table></div>").ToString();
    }

    // The index of the highest defined value, or -1 when there are fewer than two to choose between.
    private static int Best(IEnumerable<double> values)
    {
        var v = values.ToList();
        var best = -1;
        for (var i = 0; i < v.Count; i++)
        {
            if (double.IsFinite(v[i]) && v[i] >= 0 && (best < 0 || v[i] > v[best]))
            {
                best = i;
            }
        }

        return v.Count(x => double.IsFinite(x) && x >= 0) > 1 ? best : -1;
    }

    // One table row per model and batch size, and images per second per batch size as bars, a colour per model.
    private static string Speed(IReadOnlyList<EvaluationMetrics> evals, IReadOnlyList<SpeedReport?> speeds)
    {
        static string F2(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        var sb = new StringBuilder("<p class=\"lead\">Each model's speed test (time per batch, mean ± standard deviation; images per second). Timings come from the machine each benchmark ran on: compare them only when the setting below matches.</p>");
        sb.Append("<table class=\"speed\"><tr><th class=\"l\">model</th><th>batch</th><th>preprocess ms</th><th>inference ms</th><th>postprocess ms</th><th>total ms / batch</th><th>ms / image</th><th>images / s</th></tr>");
        for (var i = 0; i < evals.Count; i++)
        {
            if (i >= speeds.Count || speeds[i] is not { } s)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<tr data-model=\"{i + 1}\"><td class=\"l\">{Pill(i)}{E(evals[i].Name)}</td><td colspan=\"7\" class=\"l muted\">no speed test</td></tr>");
                continue;
            }

            foreach (var b in s.Batches)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<tr data-model=\"{i + 1}\"><td class=\"l\">{Pill(i)}{E(evals[i].Name)}</td><td>{b.BatchSize}</td><td>{F2(b.Preprocess.MeanMs)} ± {F2(b.Preprocess.StdMs)}</td><td>{F2(b.Inference.MeanMs)} ± {F2(b.Inference.StdMs)}</td><td>{F2(b.Postprocess.MeanMs)} ± {F2(b.Postprocess.StdMs)}</td><td>{F2(b.Total.MeanMs)} ± {F2(b.Total.StdMs)}</td><td>{F2(b.Total.MeanMs / Math.Max(1, b.BatchSize))}</td><td><b>{F2(b.ImagesPerSecond)}</b></td></tr>");
            }
        }

        sb.Append("</table>");
        var batchSizes = speeds.Where(s => s is not null).SelectMany(s => s!.Batches.Select(b => b.BatchSize)).Distinct().Order().ToList();
        var series = evals.Select((e, i) => (e.Name, Palette[i % Palette.Length], (IReadOnlyList<double>)[.. batchSizes.Select(bs => i < speeds.Count && speeds[i]?.Batches.FirstOrDefault(b => b.BatchSize == bs) is { } b ? b.ImagesPerSecond : 0)])).ToList();
        sb.Append("<div class=\"grid2\"><div>").Append(Bars([.. batchSizes.Select(b => $"batch {b}")], series, "batch size", "images per second", valueFormat: "0.0")).Append("</div></div>");
        sb.Append("<p class=\"muted\">Settings: ");
        for (var i = 0; i < evals.Count; i++)
        {
            if (i < speeds.Count && speeds[i] is { } s)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{Pill(i)}{E(s.Setting)} ");
            }
        }

        return sb.Append("</p>").ToString();
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
