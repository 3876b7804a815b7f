using System.Globalization;
using System.Text;
using Cairn.Evaluation.Diagnostics;
using Cairn.Evaluation.Reports.Internal;
using static Cairn.Evaluation.Reports.Internal.Svg;

namespace Cairn.Evaluation.Reports;

/// <summary>Renders one evaluation as a self-contained HTML report (inline SVG charts, inline CSS, no scripts).</summary>
public static class ReportWriter
{
    /// <summary>Writes the report to <paramref name="path"/>.</summary>
    public static void WriteHtml(EvaluationMetrics metrics, string path)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        File.WriteAllText(path, RenderHtml(metrics), new UTF8Encoding(false));
    }

    /// <summary>The report as an HTML string; <paramref name="speed"/>, when given, is its last section.</summary>
    public static string RenderHtml(EvaluationMetrics m, SpeedReport? speed = null)
    {
        ArgumentNullException.ThrowIfNull(m);
        var d = m.Diagnostics;
        var sections = new List<(string Id, string Title, string Html)>
        {
            ("overview", "Overview", Overview(m)),
            ("key", "Key metrics", KeyMetrics(m)),
        };
        if (d is not null)
        {
            sections.Add(("outcomes", "Outcome counts", Outcomes(d)));
            sections.Add(("per-class", "Precision & recall per class", PerClass(m, d)));
            sections.Add(("pr", "PR curves", Curves(d)));
            sections.Add(("confusion", "Confusion matrix", Confusion(d)));
            sections.Add(("confused", "Confused classes", Confused(d)));
            if (d.Errors is not null)
            {
                sections.Add(("errors", "Error breakdown", ErrorSection.Render(d.Errors)));
            }

            sections.Add(("iou", "IoU distribution", IouSection(d)));
            sections.Add(("calibration", "Calibration", CalibrationSection(d)));
            sections.Add(("confidence", "Confidence profile", ConfidenceSection(d)));
        }

        if (m.Frequency is not null)
        {
            sections.Add(("frequency", "Rare, common, frequent", FrequencySection.Render(m.Frequency)));
        }

        sections.Add(("ap", "AP per class", ApPerClass(m)));
        if (speed is not null)
        {
            sections.Add(("speed", "Inference speed", SpeedSection(speed)));
        }

        var body = string.Concat(sections.Select(s => $"<section id=\"{s.Id}\"><h2>{E(s.Title)}</h2>{s.Html}</section>"));
        var subtitle = $"{E(m.IouType switch { "segm" => "Mask", "boundary" => "Boundary", _ => "Box" })} evaluation · {m.Dataset.Images:N0} images · {m.Dataset.Categories} classes · {m.Dataset.Detections:N0} detections · {E(m.CreatedUtc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))}";
        return Html.Page($"Model evaluation — {m.Name}", subtitle, [.. sections.Select(s => (s.Id, s.Title))], body);
    }

    private static string Pct(double v) => v < 0 ? "—" : (v * 100).ToString("0.0", CultureInfo.InvariantCulture);

    private static string N3(double v) => v < 0 ? "—" : v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Card(string value, string key) => $"<div class=\"card\"><div class=\"v\">{value}</div><div class=\"k\">{E(key)}</div></div>";

    private static string Overview(EvaluationMetrics m)
    {
        var d = m.Diagnostics;
        var sb = new StringBuilder("<p class=\"lead\">What was evaluated and how.</p><table>");
        void Row(string k, string v) => sb.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"l muted\">{E(k)}</td><td class=\"l\">{v}</td></tr>");
        Row("Model / run", E(m.Name));
        Row("Ground truth", $"<code>{E(m.Dataset.GroundTruthPath)}</code> · {m.Dataset.Images:N0} images, {m.Dataset.Annotations:N0} objects, {m.Dataset.Categories} classes");
        Row("Detections", $"<code>{E(m.Dataset.DetectionsPath)}</code> · {m.Dataset.Detections:N0}");
        Row("IoU type", m.IouType switch { "segm" => "masks (segm)", "boundary" => "Boundary IoU (boundary): min of mask IoU and boundary-region IoU, dilation 2% of the image diagonal", _ => "boxes (bbox)" });
        if (d is not null)
        {
            Row("Matching", $"IoU ≥ {d.IouThreshold:0.00}; confidence ≥ {d.ConfidenceThreshold:0.000} {(d.ConfidenceIsF1Optimal ? "(the threshold that maximises F1)" : "(given)")}");
        }

        Row("Ground-truth fingerprint", $"<code>{E(m.Dataset.GroundTruthFingerprint[..Math.Min(16, m.Dataset.GroundTruthFingerprint.Length)])}</code>");
        if (m.TimingsS is not null)
        {
            Row("Time", string.Join(" · ", m.TimingsS.Select(t => $"{E(t.Key)} {t.Value:0.00} s")));
        }

        return sb.Append("</table>").ToString();
    }

    private static string KeyMetrics(EvaluationMetrics m)
    {
        var d = m.Diagnostics;
        var s = m.Stats;
        var sb = new StringBuilder("<p class=\"lead\">COCO average precision and recall (IoU .50:.95, 101 recall points), and counts at the chosen thresholds.</p><div class=\"cards\">");
        sb.Append(Card(Pct(s[0]), "AP @[.50:.95]")).Append(Card(Pct(s[1]), "AP50")).Append(Card(Pct(s[2]), "AP75")).Append(Card(Pct(s[8]), "AR@100"));
        if (d is not null)
        {
            sb.Append(Card(Pct(d.Overall.Precision), $"Precision @ conf {d.ConfidenceThreshold:0.00}"))
              .Append(Card(Pct(d.Overall.Recall), $"Recall @ conf {d.ConfidenceThreshold:0.00}"))
              .Append(Card(Pct(d.Overall.F1), "F1"))
              .Append(Card(N3(d.MeanTpIou), "mean IoU of TPs"))
              .Append(Card(Pct(d.ClassificationAccuracy), "class accuracy of localised"))
              .Append(Card(N3(d.Calibration.Ece), "calibration error (ECE)"));
        }

        sb.Append("</div><h3 style=\"font-size:14px;margin:18px 0 6px\">All 12 COCO numbers</h3><table><tr><th class=\"l\">metric</th><th>value</th><th class=\"l\"></th></tr>");
        for (var i = 0; i < m.Stats.Count; i++)
        {
            var v = m.Stats[i];
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"l\">{E(m.StatNames[i])}</td><td>{N3(v)}</td><td class=\"l\"><span class=\"bar\" style=\"width:{F(Math.Max(0, v) * 300, 0)}px\"></span></td></tr>");
        }

        return sb.Append("</table>").ToString();
    }

    private static string Outcomes(DetectionDiagnostics d)
    {
        var o = d.Overall;
        var total = Math.Max(1, o.Tp + o.Fp + o.Fn);
        var sb = new StringBuilder($"<p class=\"lead\">At IoU ≥ {d.IouThreshold:0.00} and confidence ≥ {d.ConfidenceThreshold:0.000}: true positives found an object of their class; false positives did not; false negatives are objects nothing found.</p>");
        sb.Append("<div class=\"cards\">").Append(Card($"{o.Tp:N0}", "true positives")).Append(Card($"{o.Fp:N0}", "false positives")).Append(Card($"{o.Fn:N0}", "false negatives")).Append(Card($"{d.GroundTruths:N0}", "objects (crowds excluded)")).Append("</div>");
        sb.Append(CultureInfo.InvariantCulture, $"<div style=\"display:flex;height:18px;margin:14px 0;border-radius:4px;overflow:hidden\"><div style=\"width:{F(100.0 * o.Tp / total, 2)}%;background:#59a14f\" title=\"TP\"></div><div style=\"width:{F(100.0 * o.Fp / total, 2)}%;background:#e15759\" title=\"FP\"></div><div style=\"width:{F(100.0 * o.Fn / total, 2)}%;background:#edc948\" title=\"FN\"></div></div>");
        sb.Append("<p class=\"muted\"><span class=\"pill\" style=\"background:#59a14f;color:#fff\">TP</span><span class=\"pill\" style=\"background:#e15759;color:#fff\">FP</span><span class=\"pill\" style=\"background:#edc948\">FN</span></p>");
        var worst = d.Images.OrderByDescending(i => i.Fp + i.Fn).ThenBy(i => i.ImageId).Take(12).Where(i => i.Fp + i.Fn > 0).ToList();
        if (worst.Count > 0)
        {
            sb.Append("<h3 style=\"font-size:14px;margin:12px 0 6px\">Images with the most errors</h3><table><tr><th class=\"l\">image</th><th>TP</th><th>FP</th><th>FN</th></tr>");
            foreach (var i in worst)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"l\">{E(i.FileName.Length > 0 ? i.FileName : i.ImageId.ToString(CultureInfo.InvariantCulture))}</td><td>{i.Tp}</td><td>{i.Fp}</td><td>{i.Fn}</td></tr>");
            }

            sb.Append("</table>");
        }

        var perfect = d.Images.Count(i => i.Fp == 0 && i.Fn == 0);
        sb.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{perfect:N0} of {d.Images.Count:N0} images have no error at these thresholds.</p>");
        return sb.ToString();
    }

    private static string PerClass(EvaluationMetrics m, DetectionDiagnostics d)
    {
        var sb = new StringBuilder($"<p class=\"lead\">Per class at IoU ≥ {d.IouThreshold:0.00}, confidence ≥ {d.ConfidenceThreshold:0.000}, most frequent classes first.</p><div class=\"scroll\"><table><tr><th class=\"l\">class</th><th>objects</th><th>TP</th><th>FP</th><th>FN</th><th>precision</th><th class=\"l\"></th><th>recall</th><th class=\"l\"></th><th>F1</th></tr>");
        foreach (var c in d.Classes.OrderByDescending(c => c.GroundTruths).ThenBy(c => c.CategoryId))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"l\">{E(c.Name)}</td><td>{c.GroundTruths:N0}</td><td>{c.Counts.Tp:N0}</td><td>{c.Counts.Fp:N0}</td><td>{c.Counts.Fn:N0}</td><td>{N3(c.Precision)}</td><td class=\"l\"><span class=\"bar\" style=\"width:{F(c.Precision * 90, 0)}px\"></span></td><td>{N3(c.Recall)}</td><td class=\"l\"><span class=\"bar r\" style=\"width:{F(c.Recall * 90, 0)}px\"></span></td><td>{N3(c.F1)}</td></tr>");
        }

        _ = m;
        return sb.Append("</table></div>").ToString();
    }

    private static string Curves(DetectionDiagnostics d)
    {
        var top = d.Classes.Where(c => c.GroundTruths > 0).OrderByDescending(c => c.GroundTruths).Take(8).ToList();
        var series = new List<Series> { new("all classes", "#24292f", [.. d.PrCurve.Select(p => (p.Recall, p.Precision))], Width: 3) };
        series.AddRange(top.Select((c, i) => new Series(c.Name, Palette[i % Palette.Length], [.. c.PrCurve.Select(p => (p.Recall, p.Precision))], Width: 1.5)));
        var pr = LineChart(series, "recall", "precision");
        var sweep = LineChart(
            [
                new Series("precision", "#4e79a7", [.. d.ConfidenceSweep.Select(p => (p.Threshold, p.Precision))]),
                new Series("recall", "#f28e2b", [.. d.ConfidenceSweep.Select(p => (p.Threshold, p.Recall))]),
                new Series("F1", "#59a14f", [.. d.ConfidenceSweep.Select(p => (p.Threshold, p.F1))]),
            ],
            "confidence threshold",
            "value",
            markerX: d.ConfidenceThreshold,
            markerLabel: $"chosen {d.ConfidenceThreshold:0.00}");
        var iou = LineChart(
            [
                new Series("precision", "#4e79a7", [.. d.IouSweep.Select(p => (p.Threshold, p.Precision))]),
                new Series("recall", "#f28e2b", [.. d.IouSweep.Select(p => (p.Threshold, p.Recall))]),
                new Series("F1", "#59a14f", [.. d.IouSweep.Select(p => (p.Threshold, p.F1))]),
            ],
            "IoU threshold",
            "value",
            xMin: 0.5,
            xMax: 0.95);
        return $"<p class=\"lead\">Precision against recall as the confidence threshold falls (all classes pooled, and the {top.Count} most frequent classes); precision, recall and F1 against the confidence threshold; and how they fall as the IoU a hit needs rises.</p><div class=\"grid2\"><div>{pr}</div><div>{sweep}</div><div>{iou}</div></div>";
    }

    private static string Confusion(DetectionDiagnostics d) =>
        $"<p class=\"lead\">Each detection (confidence ≥ {d.ConfidenceThreshold:0.000}) is matched to the unmatched object it overlaps most (IoU ≥ {d.IouThreshold:0.00}) whatever the class. Rows are the true class, columns the predicted one; the background row holds detections that found nothing, the background column objects nothing found. Green: right class; red: confusion (shade = share of the row).</p>{ConfusionView.Render(d)}";

    private static string Confused(DetectionDiagnostics d)
    {
        if (d.ConfusedPairs.Count == 0)
        {
            return "<p class=\"lead\">No localised object was given another class.</p>";
        }

        var sb = new StringBuilder($"<p class=\"lead\">Objects that were found (IoU ≥ {d.IouThreshold:0.00}) but called something else. {d.LocalizedMatches:N0} detections localised an object; {Pct(d.ClassificationAccuracy)}% of them had the right class.</p><table><tr><th class=\"l\">true class</th><th class=\"l\">predicted as</th><th>times</th><th>share of the true class's matches</th><th class=\"l\"></th></tr>");
        foreach (var p in d.ConfusedPairs)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"l\">{E(p.Actual)}</td><td class=\"l\">{E(p.Predicted)}</td><td>{p.Count:N0}</td><td>{Pct(p.ShareOfActual)}%</td><td class=\"l\"><span class=\"bar r\" style=\"width:{F(p.ShareOfActual * 200, 0)}px\"></span></td></tr>");
        }

        return sb.Append("</table>").ToString();
    }

    private static string IouSection(DetectionDiagnostics d)
    {
        var h = d.TpIouHistogram;
        var chart = Bars([.. h.Select(b => b.Lo.ToString("0.00", CultureInfo.InvariantCulture))], [("true positives", "#4e79a7", [.. h.Select(b => (double)b.Count)])], "IoU with the matched object (bin start)", "true positives");
        return $"<p class=\"lead\">How tightly true positives fit their objects. Mean IoU {N3(d.MeanTpIou)}; mass near the threshold means boxes that only just count.</p><div class=\"grid2\"><div>{chart}</div></div>";
    }

    private static string CalibrationSection(DetectionDiagnostics d)
    {
        var bins = d.Calibration.Bins;
        var labels = bins.Select(b => $"{b.Lo:0.0}").ToList();
        var chart = Bars(labels, [("accuracy (share correct)", "#4e79a7", [.. bins.Select(b => b.Accuracy)]), ("mean confidence", "#bab0ac", [.. bins.Select(b => b.MeanConfidence)])], "confidence bin", "value", yMax: 1, valueFormat: "0.000");
        var counts = Bars(labels, [("detections", "#76b7b2", [.. bins.Select(b => (double)b.Count)])], "confidence bin", "detections");
        return $"<p class=\"lead\">Does a detection with confidence 0.8 hit 80% of the time? Expected calibration error <b>{N3(d.Calibration.Ece)}</b>, maximum <b>{N3(d.Calibration.Mce)}</b> (0 is perfect). Bars of accuracy below the grey ones mean over-confidence.</p><div class=\"grid2\"><div>{chart}</div><div>{counts}</div></div>";
    }

    private static string ConfidenceSection(DetectionDiagnostics d)
    {
        var labels = d.TpConfidence.Select(b => $"{b.Lo:0.00}").ToList();
        var chart = Bars(labels, [("true positives", "#59a14f", [.. d.TpConfidence.Select(b => (double)b.Count)]), ("false positives", "#e15759", [.. d.FpConfidence.Select(b => (double)b.Count)])], "confidence (bin start)", "detections");
        return $"<p class=\"lead\">Confidence of hits and misses. Well separated humps make a threshold easy to choose; overlap is where precision is lost.</p><div class=\"grid2\"><div>{chart}</div></div>";
    }

    private static string ApPerClass(EvaluationMetrics m)
    {
        var sb = new StringBuilder("<p class=\"lead\">COCO AP per class (IoU .50:.95), with AP50, AP75 and AR@100; best first. — means the class has no ground truth.</p><div class=\"scroll\"><table><tr><th class=\"l\">class</th><th>AP</th><th class=\"l\"></th><th>AP50</th><th>AP75</th><th>AR@100</th><th>objects</th></tr>");
        foreach (var (name, c) in m.PerClass.OrderByDescending(p => p.Value.Ap).ThenBy(p => p.Value.Id))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"l\">{E(name)}</td><td>{N3(c.Ap)}</td><td class=\"l\"><span class=\"bar\" style=\"width:{F(Math.Max(0, c.Ap) * 220, 0)}px\"></span></td><td>{N3(c.Ap50)}</td><td>{N3(c.Ap75)}</td><td>{N3(c.Ar100)}</td><td>{c.GroundTruths:N0}</td></tr>");
        }

        return sb.Append("</table></div>").ToString();
    }

    private static string SpeedSection(SpeedReport s)
    {
        static string F2(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        static string Ms(StageTiming t) => $"{F2(t.MeanMs)} ± {F2(t.StdMs)}";
        var sb = new StringBuilder($"<p>{E(s.Setting)}</p>");
        sb.Append("<table class=\"speed\"><thead><tr><th>batch</th><th>iterations</th><th>preprocess ms</th><th>inference ms</th><th>postprocess ms</th><th>total ms / batch</th><th>images / s</th><th>pre+post share</th></tr></thead><tbody>");
        foreach (var b in s.Batches)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{b.BatchSize}</td><td>{b.Iterations}</td><td>{Ms(b.Preprocess)}</td><td>{Ms(b.Inference)}</td><td>{Ms(b.Postprocess)}</td><td>{Ms(b.Total)}</td><td><b>{F2(b.ImagesPerSecond)}</b></td><td>{(b.PrePostShare * 100).ToString("0.0", CultureInfo.InvariantCulture)}%</td></tr>");
        }

        sb.Append("</tbody></table>");

        // Stacked bars: per-image milliseconds split into preprocess / inference / postprocess.
        const int width = 640, rowH = 28, left = 70;
        var maxPerImage = s.Batches.Select(b => b.Total.MeanMs / b.BatchSize).DefaultIfEmpty(1).Max();
        var height = (s.Batches.Count * rowH) + 40;
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"time per image by stage\">");
        var y = 10;
        foreach (var b in s.Batches)
        {
            // Room after the longest bar for its "12.34 ms/img" label (11 px text), which would otherwise run off the chart.
            var scale = (width - left - 90) / Math.Max(maxPerImage, 1e-9);
            double x = left;
            (double Ms, string Color, string Name)[] parts =
            [
                (b.Preprocess.MeanMs / b.BatchSize, "#f2a954", "preprocess"),
                (b.Inference.MeanMs / b.BatchSize, "#2f6fed", "inference"),
                (b.Postprocess.MeanMs / b.BatchSize, "#1f9d55", "postprocess"),
            ];
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 8}\" y=\"{y + 17}\" text-anchor=\"end\" font-size=\"12\">batch {b.BatchSize}</text>");
            foreach (var (ms, color, name) in parts)
            {
                var w = Math.Max(0, ms * scale);
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F2(x)}\" y=\"{y}\" width=\"{F2(w)}\" height=\"{rowH - 8}\" fill=\"{color}\"><title>{name}: {F2(ms)} ms per image</title></rect>");
                x += w;
            }

            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F2(x + 4)}\" y=\"{y + 15}\" font-size=\"11\">{F2(b.Total.MeanMs / b.BatchSize)} ms/img</text>");
            y += rowH;
        }

        sb.Append(CultureInfo.InvariantCulture, $"<g font-size=\"11\"><rect x=\"{left}\" y=\"{y + 6}\" width=\"10\" height=\"10\" fill=\"#f2a954\"/><text x=\"{left + 14}\" y=\"{y + 15}\">preprocess</text><rect x=\"{left + 100}\" y=\"{y + 6}\" width=\"10\" height=\"10\" fill=\"#2f6fed\"/><text x=\"{left + 114}\" y=\"{y + 15}\">inference</text><rect x=\"{left + 190}\" y=\"{y + 6}\" width=\"10\" height=\"10\" fill=\"#1f9d55\"/><text x=\"{left + 204}\" y=\"{y + 15}\">postprocess</text></g>");
        return sb.Append("</svg>").ToString();
    }
}
