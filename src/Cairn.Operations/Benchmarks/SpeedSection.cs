using System.Globalization;
using System.Net;
using System.Text;
using Cairn.Inference;

namespace Cairn.Operations.Benchmarks;

/// <summary>The speed-test section of a benchmark report: a table per batch size and a stacked bar chart of where time goes.</summary>
public static class SpeedSection
{
    /// <summary>Inserts the section before the end of the report's body.</summary>
    public static string Insert(string reportHtml, SpeedTestResult speed)
    {
        var section = Render(speed);
        var at = reportHtml.LastIndexOf("</main>", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            at = reportHtml.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        }

        return at < 0 ? reportHtml + section : reportHtml.Insert(at, section);
    }

    /// <summary>The section's HTML.</summary>
    public static string Render(SpeedTestResult s)
    {
        static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append("<section id=\"speed\"><h2>Inference speed</h2>");
        sb.Append($"<p>Device <b>{WebUtility.HtmlEncode(s.Device)}</b>, {WebUtility.HtmlEncode(s.Runtime)} {WebUtility.HtmlEncode(s.RuntimeVersion)}, {s.IntraOpThreads} inference threads, {s.PreprocessThreads} preprocessing threads, {s.ProcessorCount} cores; input {s.InputWidth}×{s.InputHeight}; {s.WarmupRuns} warm-up runs.</p>");
        sb.Append("<table class=\"speed\"><thead><tr><th>batch</th><th>iterations</th><th>preprocess ms</th><th>inference ms</th><th>postprocess ms</th><th>total ms / batch</th><th>images / s</th><th>pre+post share</th></tr></thead><tbody>");
        foreach (var b in s.Batches)
        {
            sb.Append($"<tr><td>{b.BatchSize}</td><td>{b.Iterations}</td><td>{F(b.Preprocess.MeanMs)} ± {F(b.Preprocess.StdMs)}</td><td>{F(b.Inference.MeanMs)} ± {F(b.Inference.StdMs)}</td><td>{F(b.Postprocess.MeanMs)} ± {F(b.Postprocess.StdMs)}</td><td>{F(b.Total.MeanMs)} ± {F(b.Total.StdMs)}</td><td><b>{F(b.ImagesPerSecond)}</b></td><td>{(b.PrePostShare * 100).ToString("0.0", CultureInfo.InvariantCulture)}%</td></tr>");
        }

        sb.Append("</tbody></table>");

        // Stacked bars: per-image milliseconds split into preprocess / inference / postprocess.
        const int width = 640, rowH = 28, left = 70;
        var maxPerImage = s.Batches.Select(b => b.Total.MeanMs / b.BatchSize).DefaultIfEmpty(1).Max();
        var height = (s.Batches.Count * rowH) + 40;
        sb.Append($"<svg class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"time per image by stage\">");
        var y = 10;
        foreach (var b in s.Batches)
        {
            var scale = (width - left - 20) / Math.Max(maxPerImage, 1e-9);
            double x = left;
            (double Ms, string Color, string Name)[] parts =
            [
                (b.Preprocess.MeanMs / b.BatchSize, "#f2a954", "preprocess"),
                (b.Inference.MeanMs / b.BatchSize, "#2f6fed", "inference"),
                (b.Postprocess.MeanMs / b.BatchSize, "#1f9d55", "postprocess"),
            ];
            sb.Append($"<text x=\"{left - 8}\" y=\"{y + 17}\" text-anchor=\"end\" font-size=\"12\">batch {b.BatchSize}</text>");
            foreach (var (ms, color, name) in parts)
            {
                var w = Math.Max(0, ms * scale);
                sb.Append($"<rect x=\"{F(x)}\" y=\"{y}\" width=\"{F(w)}\" height=\"{rowH - 8}\" fill=\"{color}\"><title>{name}: {F(ms)} ms per image</title></rect>");
                x += w;
            }

            sb.Append($"<text x=\"{F(x + 4)}\" y=\"{y + 15}\" font-size=\"11\">{F(b.Total.MeanMs / b.BatchSize)} ms/img</text>");
            y += rowH;
        }

        sb.Append($"<g font-size=\"11\"><rect x=\"{left}\" y=\"{y + 6}\" width=\"10\" height=\"10\" fill=\"#f2a954\"/><text x=\"{left + 14}\" y=\"{y + 15}\">preprocess</text><rect x=\"{left + 100}\" y=\"{y + 6}\" width=\"10\" height=\"10\" fill=\"#2f6fed\"/><text x=\"{left + 114}\" y=\"{y + 15}\">inference</text><rect x=\"{left + 190}\" y=\"{y + 6}\" width=\"10\" height=\"10\" fill=\"#1f9d55\"/><text x=\"{left + 204}\" y=\"{y + 15}\">postprocess</text></g>");
        sb.Append("</svg></section>");
        return sb.ToString();
    }
}
