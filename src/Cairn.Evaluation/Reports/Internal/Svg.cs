using System.Globalization;
using System.Net;
using System.Text;

namespace Cairn.Evaluation.Reports.Internal;

/// <summary>Small inline-SVG chart builders for the reports (no scripts, no external resources).</summary>
internal static class Svg
{
    public static readonly string[] Palette =
    [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ];

    public static string E(string s) => WebUtility.HtmlEncode(s);

    public static string F(double v, int digits = 3) => double.IsFinite(v) ? Math.Round(v, digits).ToString(CultureInfo.InvariantCulture) : "0";

    /// <summary>A series of a line chart.</summary>
    public sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false, double Width = 2);

    /// <summary>Line chart on fixed axes with grid, ticks, axis titles, legend and optional vertical marker.</summary>
    public static string LineChart(IReadOnlyList<Series> series, string xTitle, string yTitle, double xMin = 0, double xMax = 1, double yMin = 0, double yMax = 1, int width = 520, int height = 340, double? markerX = null, string? markerLabel = null, bool legend = true)
    {
        const int left = 52, right = 16, top = 14, bottom = 44;
        var pw = width - left - right;
        var ph = height - top - bottom;
        double Sx(double x) => left + ((x - xMin) / (xMax - xMin) * pw);
        double Sy(double y) => top + ph - ((y - yMin) / (yMax - yMin) * ph);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\">");
        Axes(sb, xMin, xMax, yMin, yMax, Sx, Sy, left, top, pw, ph, xTitle, yTitle, width, height);
        if (markerX is double mx)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(Sx(mx), 1)}\" y1=\"{top}\" x2=\"{F(Sx(mx), 1)}\" y2=\"{top + ph}\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>");
            if (markerLabel is not null)
            {
                // Right of the line, or left of it where the label (11 px, about 6 px a character) would leave the plot.
                var leftOfLine = Sx(mx) + 4 + (6 * markerLabel.Length) > left + pw;
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Sx(mx) + (leftOfLine ? -4 : 4), 1)}\" y=\"{top + 12}\" class=\"note\"{(leftOfLine ? " text-anchor=\"end\"" : string.Empty)}>{E(markerLabel)}</text>");
            }
        }

        foreach (var s in series)
        {
            if (s.Points.Count == 0)
            {
                continue;
            }

            sb.Append("<polyline fill=\"none\" stroke=\"").Append(s.Color).Append(CultureInfo.InvariantCulture, $"\" stroke-width=\"{F(s.Width, 1)}\"");
            if (s.Dashed)
            {
                sb.Append(" stroke-dasharray=\"5 4\"");
            }

            sb.Append(" points=\"");
            foreach (var (x, y) in s.Points)
            {
                sb.Append(F(Sx(x), 1)).Append(',').Append(F(Sy(y), 1)).Append(' ');
            }

            sb.Append("\"><title>").Append(E(s.Name)).Append("</title></polyline>");
        }

        if (legend && series.Count > 1)
        {
            // Put the legend in the corner that hides the fewest curve points.
            var shown = series.Take(12).ToList();
            const int lw = 158;
            var lh = (shown.Count * 15) + 4;
            (double X, double Y)[] corners = [(left + pw - lw - 6, top + 6), (left + 6, top + ph - lh - 6), (left + 6, top + 6), (left + pw - lw - 6, top + ph - lh - 6)];
            var best = corners[0];
            var fewest = int.MaxValue;
            foreach (var c in corners)
            {
                var n = series.Sum(s => s.Points.Count(p => Sx(p.X) >= c.X && Sx(p.X) <= c.X + lw && Sy(p.Y) >= c.Y && Sy(p.Y) <= c.Y + lh));
                if (n < fewest)
                {
                    fewest = n;
                    best = c;
                }
            }

            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(best.X, 1)}\" y=\"{F(best.Y, 1)}\" width=\"{lw}\" height=\"{lh}\" fill=\"#fff\" fill-opacity=\"0.85\" stroke=\"#d8dee4\"/>");
            var y = best.Y + 14;
            foreach (var s in shown)
            {
                var lx = best.X + 6;
                sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(lx, 1)}\" y1=\"{F(y - 4, 1)}\" x2=\"{F(lx + 18, 1)}\" y2=\"{F(y - 4, 1)}\" stroke=\"{s.Color}\" stroke-width=\"3\"{(s.Dashed ? " stroke-dasharray=\"5 4\"" : string.Empty)}/>");
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(lx + 24, 1)}\" y=\"{F(y, 1)}\" class=\"legend\">{E(Trim(s.Name, 22))}</text>");
                y += 15;
            }
        }

        return sb.Append("</svg>").ToString();
    }

    /// <summary>
    /// Vertical bar chart over bins; several series are drawn side by side within each bin, with their legend in a band
    /// above the plot (never over the bars).
    /// </summary>
    public static string Bars(IReadOnlyList<string> labels, IReadOnlyList<(string Name, string Color, IReadOnlyList<double> Values)> series, string xTitle, string yTitle, int width = 520, int height = 300, double? yMax = null, string valueFormat = "0", IReadOnlyList<(double X, double Y)>? overlay = null)
    {
        const int right = 16, bottom = 50;
        var legend = series.Count > 1 ? LegendRows(series.Select(s => s.Name).ToList(), width - 60) : [];
        var top = 14 + (legend.Count * 16);
        height += legend.Count * 16;
        var max = yMax ?? NiceMax(series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        // Room for the widest tick label (10 px text, about 6 px a character) beside the rotated axis title.
        var left = Math.Max(52, 26 + (6 * TickText(max, max).Length));
        var pw = width - left - right;
        var ph = height - top - bottom;
        var n = labels.Count;
        var slot = (double)pw / Math.Max(1, n);
        var bw = slot * 0.8 / Math.Max(1, series.Count);
        double Sy(double y) => top + ph - (y / max * ph);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\">");
        for (var i = 0; i <= 4; i++)
        {
            var v = max * i / 4;
            var y = Sy(v);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{F(y, 1)}\" x2=\"{left + pw}\" y2=\"{F(y, 1)}\" class=\"grid\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{F(y + 4, 1)}\" class=\"tick\" text-anchor=\"end\">{E(TickText(v, max))}</text>");
        }

        var every = Math.Max(1, (int)Math.Ceiling(n / 12.0));
        for (var i = 0; i < n; i++)
        {
            for (var s = 0; s < series.Count; s++)
            {
                var v = series[s].Values[i];
                var x = left + (i * slot) + (slot * 0.1) + (s * bw);
                var y = Sy(Math.Max(0, v));
                sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"datum\" x=\"{F(x, 1)}\" y=\"{F(y, 1)}\" width=\"{F(Math.Max(1, bw - 1), 1)}\" height=\"{F(top + ph - y, 1)}\" fill=\"{series[s].Color}\"><title>{E(series[s].Name)} {E(labels[i])}: {E(v.ToString(valueFormat, CultureInfo.InvariantCulture))}</title></rect>");
            }

            if (i % every == 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + (i * slot) + (slot / 2), 1)}\" y=\"{top + ph + 14}\" class=\"tick\" text-anchor=\"middle\">{E(labels[i])}</text>");
            }
        }

        if (overlay is not null && overlay.Count > 0)
        {
            sb.Append("<polyline fill=\"none\" stroke=\"#333\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\" points=\"");
            foreach (var (x, y) in overlay)
            {
                sb.Append(F(left + (x * pw), 1)).Append(',').Append(F(Sy(y), 1)).Append(' ');
            }

            sb.Append("\"/>");
        }

        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top + ph}\" x2=\"{left + pw}\" y2=\"{top + ph}\" stroke=\"#444\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (pw / 2)}\" y=\"{height - 8}\" class=\"axis\" text-anchor=\"middle\">{E(xTitle)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(13 {top + (ph / 2)}) rotate(-90)\" class=\"axis\" text-anchor=\"middle\">{E(yTitle)}</text>");
        if (legend.Count > 0)
        {
            sb.Append("<g class=\"legend-box\">");
            var k = 0;
            for (var row = 0; row < legend.Count; row++)
            {
                var lx = (double)left;
                var y = 12 + (row * 16);
                foreach (var name in legend[row])
                {
                    var s = series[k++];
                    sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"legend-key\" x=\"{F(lx, 1)}\" y=\"{y - 9}\" width=\"12\" height=\"10\" fill=\"{s.Color}\"/><text x=\"{F(lx + 16, 1)}\" y=\"{y}\" class=\"legend\">{E(name)}</text>");
                    lx += LegendItemWidth(name);
                }
            }

            sb.Append("</g>");
        }

        return sb.Append("</svg>").ToString();
    }

    private static string TickText(double v, double max) => v.ToString(max <= 1.5 ? "0.00" : "0.##", CultureInfo.InvariantCulture);

    // A legend item: key, gap, the name at 11 px (about 6.5 px a character), and room before the next.
    private static double LegendItemWidth(string name) => 16 + (6.5 * Trim(name, 28).Length) + 14;

    // The legend's names in rows that fit the width, in order.
    private static List<List<string>> LegendRows(IReadOnlyList<string> names, double width)
    {
        var rows = new List<List<string>>();
        var used = double.MaxValue;
        foreach (var raw in names)
        {
            var name = Trim(raw, 28);
            var w = LegendItemWidth(name);
            if (used + w > width)
            {
                rows.Add([]);
                used = 0;
            }

            rows[^1].Add(name);
            used += w;
        }

        return rows;
    }

    /// <summary>A heat map of counts, shaded per row (share of the row), with labels on both axes.</summary>
    public static string Heatmap(IReadOnlyList<string> labels, IReadOnlyList<IReadOnlyList<int>> counts, string rowTitle, string colTitle)
    {
        var n = labels.Count;
        var cell = n <= 12 ? 36 : n <= 30 ? 22 : 14;
        var labelW = 130;
        var size = labelW + (n * cell) + 20;
        // Column labels lean right at 60°: an 18-character label reaches about 50 px past its column.
        var wide = size + 50;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {wide} {size + 10}\" width=\"{wide}\" height=\"{size + 10}\" role=\"img\">");
        for (var r = 0; r < n; r++)
        {
            var rowTotal = counts[r].Sum();
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelW - 6}\" y=\"{labelW + (r * cell) + (cell / 2) + 4}\" class=\"tick\" text-anchor=\"end\">{E(Trim(labels[r], 18))}</text>");
            for (var c = 0; c < n; c++)
            {
                var v = counts[r][c];
                var share = rowTotal == 0 ? 0 : (double)v / rowTotal;
                var color = v == 0 ? "#f7f7f7" : r == c ? Blend("#e8f3e8", "#2f7d32", share) : Blend("#fdeee8", "#c0392b", Math.Min(1, share * 2));
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelW + (c * cell)}\" y=\"{labelW + (r * cell)}\" width=\"{cell - 1}\" height=\"{cell - 1}\" fill=\"{color}\"><title>{E(labels[r])} → {E(labels[c])}: {v} ({F(share * 100, 1)}% of row)</title></rect>");
                if (cell >= 22 && v > 0)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelW + (c * cell) + (cell / 2)}\" y=\"{labelW + (r * cell) + (cell / 2) + 4}\" class=\"cell\" text-anchor=\"middle\">{v}</text>");
                }
            }
        }

        for (var c = 0; c < n; c++)
        {
            var x = labelW + (c * cell) + (cell / 2) + 4;
            sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate({x} {labelW - 6}) rotate(-60)\" class=\"tick\">{E(Trim(labels[c], 18))}</text>");
        }

        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"14\" class=\"axis\">rows: {E(rowTitle)} · columns: {E(colTitle)}</text>");
        return sb.Append("</svg>").ToString();
    }

    /// <summary>The smallest 4 × (1, 2, 2.5 or 5 × 10^k) at or above <paramref name="v"/>, so the four grid steps are round numbers.</summary>
    public static double NiceMax(double v)
    {
        if (v <= 0)
        {
            return 1;
        }

        var raw = v / 4;
        var mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (var m in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (m * mag >= raw)
            {
                return 4 * m * mag;
            }
        }

        return 40 * mag;
    }

    public static string Trim(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    private static string Blend(string from, string to, double t)
    {
        t = Math.Clamp(t, 0, 1);
        static int P(string c, int i) => Convert.ToInt32(c.Substring(1 + (2 * i), 2), 16);
        var r = (int)Math.Round(P(from, 0) + ((P(to, 0) - P(from, 0)) * t));
        var g = (int)Math.Round(P(from, 1) + ((P(to, 1) - P(from, 1)) * t));
        var b = (int)Math.Round(P(from, 2) + ((P(to, 2) - P(from, 2)) * t));
        return $"#{r:x2}{g:x2}{b:x2}";
    }

    private static void Axes(StringBuilder sb, double xMin, double xMax, double yMin, double yMax, Func<double, double> sx, Func<double, double> sy, int left, int top, int pw, int ph, string xTitle, string yTitle, int width, int height)
    {
        for (var i = 0; i <= 5; i++)
        {
            var xv = xMin + ((xMax - xMin) * i / 5);
            var yv = yMin + ((yMax - yMin) * i / 5);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(sx(xv), 1)}\" y1=\"{top}\" x2=\"{F(sx(xv), 1)}\" y2=\"{top + ph}\" class=\"grid\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{F(sy(yv), 1)}\" x2=\"{left + pw}\" y2=\"{F(sy(yv), 1)}\" class=\"grid\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(sx(xv), 1)}\" y=\"{top + ph + 16}\" class=\"tick\" text-anchor=\"middle\">{F(xv, 2)}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{F(sy(yv) + 4, 1)}\" class=\"tick\" text-anchor=\"end\">{F(yv, 2)}</text>");
        }

        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{pw}\" height=\"{ph}\" fill=\"none\" stroke=\"#444\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (pw / 2)}\" y=\"{height - 6}\" class=\"axis\" text-anchor=\"middle\">{E(xTitle)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(13 {top + (ph / 2)}) rotate(-90)\" class=\"axis\" text-anchor=\"middle\">{E(yTitle)}</text>");
        _ = width;
    }
}
