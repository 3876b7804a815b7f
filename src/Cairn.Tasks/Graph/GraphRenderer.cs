using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Jint;
using SkiaSharp;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Graph;

/// <summary>
/// Lays out a workflow graph with the web UI's graph-layout.js and dagre (run in-process by Jint, so the export needs no
/// browser, no network and no web project), then draws it as SVG, or as PNG with SkiaSharp using the same shapes. The UI
/// lays out with Graphviz's dot instead (WebAssembly, which Jint cannot run): same ranks, possibly another order
/// within a rank (docs/architecture.md).
/// </summary>
public static class GraphRenderer
{
    /// <summary>Node box width.</summary>
    public const double NodeWidth = 190;

    /// <summary>Node box height.</summary>
    public const double NodeHeight = 46;

    private static readonly Lazy<string> Scripts = new(() => Script("dagre.min.js") + "\n;\n" + Script("graph-layout.js"));

    /// <summary>Left-to-right layered layout with the web UI's own graph-layout.js (dagre per connected component, components stacked).</summary>
    public static GraphLayout Layout(WorkflowGraph g)
    {
        var input = JsonSerializer.Serialize(new
        {
            nodes = g.Nodes.Select(n => n.Id).ToArray(),
            edges = g.Edges.Select(e => new[] { e.From, e.To }).ToArray(),
            w = NodeWidth,
            h = NodeHeight,
        });
        var engine = new Engine(o => o.Strict(false).LimitRecursion(10_000));
        // dagre's ordering step clones plain data with structuredClone, which Jint does not provide.
        engine.Execute("globalThis.structuredClone = function (v) { return v === undefined ? v : JSON.parse(JSON.stringify(v)); };");
        engine.Execute(Scripts.Value);
        engine.SetValue("input", input);
        var output = engine.Evaluate("""
            (function () {
              var d = JSON.parse(input);
              var l = cairnLayout(d.nodes, d.edges, d.w, d.h);
              return JSON.stringify({
                nodes: d.nodes.map(function (id) { var n = l.nodes.get(id); return [n.x, n.y]; }),
                edges: l.edges.map(function (pts) { return pts.map(function (p) { return [p.x, p.y]; }); }),
                width: l.width,
                height: l.height
              });
            })()
            """).AsString();
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        var nodes = root.GetProperty("nodes").EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToList();
        var edges = root.GetProperty("edges").EnumerateArray()
            .Select(e => (IReadOnlyList<(double, double)>)e.EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToList()).ToList();
        return new GraphLayout(nodes, edges, root.GetProperty("width").GetDouble(), root.GetProperty("height").GetDouble());
    }

    /// <summary>The graph as a standalone SVG document; nodes link to their pages under <paramref name="baseUrl"/> when given.</summary>
    public static string Svg(WorkflowGraph g, GraphLayout layout, string? baseUrl = null)
    {
        var w = Math.Max(layout.Width, NodeWidth);
        var h = Math.Max(layout.Height, NodeHeight);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"{N(w)}\" height=\"{N(h)}\" viewBox=\"0 0 {N(w)} {N(h)}\" font-family=\"Helvetica, Arial, sans-serif\">");
        sb.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#8a94a6\"/></marker></defs>");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{N(w)}\" height=\"{N(h)}\" fill=\"#ffffff\"/>");
        for (var i = 0; i < g.Edges.Count; i++)
        {
            var e = g.Edges[i];
            var dash = e.Kind switch { "version" => " stroke-dasharray=\"4 3\"", "contains" => " stroke-dasharray=\"2 3\"", _ => string.Empty };
            sb.Append($"<path class=\"edge\" data-from=\"{H(e.From)}\" data-to=\"{H(e.To)}\" d=\"M{string.Join("L", layout.Edges[i].Select(p => $"{N(p.X)},{N(p.Y)}"))}\" fill=\"none\" stroke=\"#8a94a6\" stroke-width=\"1.3\"{dash} marker-end=\"url(#arrow)\"/>");
        }

        for (var i = 0; i < g.Nodes.Count; i++)
        {
            var n = g.Nodes[i];
            var (x, y) = (layout.Nodes[i].X - (NodeWidth / 2), layout.Nodes[i].Y - (NodeHeight / 2));
            var open = n.Link is not null && baseUrl is not null ? $"<a xlink:href=\"{H(baseUrl.TrimEnd('/') + n.Link)}\">" : string.Empty;
            sb.Append(open);
            sb.Append($"<g class=\"node {n.Kind}\" data-id=\"{H(n.Id)}\" transform=\"translate({N(x)},{N(y)})\">");
            sb.Append($"<rect width=\"{N(NodeWidth)}\" height=\"{N(NodeHeight)}\" rx=\"7\" fill=\"#ffffff\" stroke=\"{H(n.Color)}\" stroke-width=\"1.5\"/>");
            sb.Append($"<rect width=\"6\" height=\"{N(NodeHeight)}\" rx=\"3\" fill=\"{H(n.Color)}\"/>");
            sb.Append($"<text x=\"16\" y=\"28\" font-size=\"16\" fill=\"{H(n.Color)}\">{H(n.Icon)}</text>");
            sb.Append($"<text x=\"34\" y=\"19\" font-size=\"12\" font-weight=\"600\" fill=\"#1d2330\">{H(Clip(n.Title, 24))}</text>");
            sb.Append($"<text x=\"34\" y=\"35\" font-size=\"10.5\" fill=\"#6b7385\">{H(Clip(Subtitle(n), 28))}</text>");
            sb.Append("<title>").Append(H(n.Author is null ? n.Title : $"{n.Title}\nby {n.Author}")).Append("</title></g>");
            sb.Append(open.Length > 0 ? "</a>" : string.Empty);
        }

        return sb.Append("</svg>").ToString();
    }

    /// <summary>The graph as a PNG at <paramref name="scale"/> (drawn with SkiaSharp: the SVG's shapes, the default typeface).</summary>
    public static byte[] Png(WorkflowGraph g, GraphLayout layout, float scale = 1.5f)
    {
        var w = (int)Math.Ceiling(Math.Max(layout.Width, NodeWidth) * scale);
        var h = (int)Math.Ceiling(Math.Max(layout.Height, NodeHeight) * scale);
        using var surface = SKSurface.Create(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        var c = surface.Canvas;
        c.Clear(SKColors.White);
        c.Scale(scale);
        using var edgePaint = new SKPaint { Color = SKColor.Parse("#8a94a6"), StrokeWidth = 1.3f, IsStroke = true, IsAntialias = true };
        using var arrowPaint = new SKPaint { Color = SKColor.Parse("#8a94a6"), IsAntialias = true };
        for (var i = 0; i < g.Edges.Count; i++)
        {
            var pts = layout.Edges[i];
            using var path = new SKPath();
            path.MoveTo((float)pts[0].X, (float)pts[0].Y);
            foreach (var p in pts.Skip(1))
            {
                path.LineTo((float)p.X, (float)p.Y);
            }

            using var dash = g.Edges[i].Kind is "version" or "contains" ? SKPathEffect.CreateDash([4, 3], 0) : null;
            edgePaint.PathEffect = dash;
            c.DrawPath(path, edgePaint);
            edgePaint.PathEffect = null;
            var (ax, ay) = pts[^1];
            var (bx, by) = pts[^2];
            var angle = Math.Atan2(ay - by, ax - bx);
            using var head = new SKPath();
            head.MoveTo((float)ax, (float)ay);
            head.LineTo((float)(ax - (7 * Math.Cos(angle - 0.45))), (float)(ay - (7 * Math.Sin(angle - 0.45))));
            head.LineTo((float)(ax - (7 * Math.Cos(angle + 0.45))), (float)(ay - (7 * Math.Sin(angle + 0.45))));
            head.Close();
            c.DrawPath(head, arrowPaint);
        }

        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        using var bold = SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold) ?? typeface;
        using var titleFont = new SKFont(bold, 12);
        using var subFont = new SKFont(typeface, 10.5f);
        using var iconFont = new SKFont(typeface, 16);
        using var fill = new SKPaint { Color = SKColors.White, IsAntialias = true };
        using var stroke = new SKPaint { IsStroke = true, StrokeWidth = 1.5f, IsAntialias = true };
        using var text = new SKPaint { IsAntialias = true };
        for (var i = 0; i < g.Nodes.Count; i++)
        {
            var n = g.Nodes[i];
            var color = SKColor.TryParse(n.Color, out var col) ? col : SKColors.Gray;
            var x = (float)(layout.Nodes[i].X - (NodeWidth / 2));
            var y = (float)(layout.Nodes[i].Y - (NodeHeight / 2));
            var rect = new SKRect(x, y, x + (float)NodeWidth, y + (float)NodeHeight);
            c.DrawRoundRect(rect, 7, 7, fill);
            stroke.Color = color;
            c.DrawRoundRect(rect, 7, 7, stroke);
            text.Color = color;
            c.DrawRoundRect(new SKRect(x, y, x + 6, y + (float)NodeHeight), 3, 3, text);
            c.DrawText(n.Icon, x + 16, y + 28, iconFont, text);
            text.Color = SKColor.Parse("#1d2330");
            c.DrawText(Clip(n.Title, 24), x + 34, y + 19, titleFont, text);
            text.Color = SKColor.Parse("#6b7385");
            c.DrawText(Clip(Subtitle(n), 28), x + 34, y + 35, subFont, text);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static string Script(string name)
    {
        using var stream = typeof(GraphRenderer).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"{name} is not embedded in Cairn.Tasks");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string H(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private static string N(double v) => Math.Round(v, 2).ToString(CultureInfo.InvariantCulture);

    private static string Subtitle(GraphNode n) => n.Kind == NodeKinds.Task ? $"{n.Subtitle} · {n.Status}" : n.Subtitle ?? n.Kind;

    private static string Clip(string s, int max) => s.Length > max ? s[..(max - 1)] + "…" : s;
}
