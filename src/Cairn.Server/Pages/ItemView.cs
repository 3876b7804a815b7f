using System.Text;
using Cairn.Core.Model;
using SkiaSharp;
using static Cairn.Server.Pages.Html;

namespace Cairn.Server.Pages;

/// <summary>Renders an image with every label drawn as SVG over it, plus the label and tag lists.</summary>
public static class ItemView
{
    /// <summary>The HTML of an item view (used for working-state items and for read-only version items).</summary>
    public static string Render(Annotation ann, ProjectMeta meta, string imageUrl, string name, string? apiUrl)
    {
        var w = Math.Max(1, ann.Width);
        var h = Math.Max(1, ann.Height);
        var dot = Math.Max(w, h) / 160.0;
        var sb = new StringBuilder();
        sb.Append($"<h1>{H(name)}</h1><p class=\"muted\">{ann.Width} × {ann.Height} px · {ann.Labels.Count} labels");
        if (apiUrl is not null)
        {
            sb.Append($" · <a href=\"{H(apiUrl)}\">JSON</a>");
        }

        sb.Append("</p><div class=\"item\"><div class=\"canvas\">");
        sb.Append($"<svg id=\"item-svg\" viewBox=\"0 0 {w} {h}\" preserveAspectRatio=\"xMidYMid meet\" xmlns=\"http://www.w3.org/2000/svg\">");
        sb.Append($"<image href=\"{H(imageUrl)}\" x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\"/>");
        for (var i = 0; i < ann.Labels.Count; i++)
        {
            var l = ann.Labels[i];
            var cls = meta.FindClass(l.ClassName);
            var color = cls?.Color ?? "#ff00ff";
            sb.Append($"<g class=\"label\" data-index=\"{i}\" data-class=\"{H(l.ClassName)}\" data-kind=\"{l.Geometry.Kind.ToString().ToLowerInvariant()}\" stroke=\"{H(color)}\" fill=\"{H(color)}\">");
            sb.Append($"<title>{H(l.ClassName)}{(l.Confidence is { } c ? $" {c:0.00}" : string.Empty)}</title>");
            AppendShape(sb, l.Geometry, cls, color, dot);
            sb.Append("</g>");
        }

        sb.Append("</svg></div><aside>");
        if (ann.Tags.Count > 0)
        {
            sb.Append("<h2>Image tags</h2><p>");
            foreach (var t in ann.Tags)
            {
                sb.Append($"<span class=\"tag\">{H(t.Name)}{(t.Value is null ? string.Empty : ": " + H(t.Value))}</span> ");
            }

            sb.Append("</p>");
        }

        sb.Append("<h2>Labels</h2><ol class=\"labels\" id=\"label-list\">");
        for (var i = 0; i < ann.Labels.Count; i++)
        {
            var l = ann.Labels[i];
            var color = meta.FindClass(l.ClassName)?.Color ?? "#ff00ff";
            sb.Append($"<li data-index=\"{i}\">{Swatch(color)}<b>{H(l.ClassName)}</b> <span class=\"muted\">{l.Geometry.Kind.ToString().ToLowerInvariant()}</span>");
            if (l.Confidence is { } c)
            {
                sb.Append($" <span class=\"conf\">{c:0.000}</span>");
            }

            foreach (var t in l.Tags)
            {
                sb.Append($" <span class=\"tag\">{H(t.Name)}{(t.Value is null ? string.Empty : ": " + H(t.Value))}</span>");
            }

            sb.Append("</li>");
        }

        sb.Append("</ol></aside></div>");
        return sb.ToString();
    }

    /// <summary>The SVG of one label's shape (its group's stroke and fill give the colour), drawn in image pixels.</summary>
    internal static void AppendShape(StringBuilder sb, Geometry geometry, ObjClass? cls, string color, double dot)
    {
        switch (geometry)
        {
            case RectangleGeometry r:
                sb.Append($"<rect x=\"{N(r.Box.Left)}\" y=\"{N(r.Box.Top)}\" width=\"{N(r.Box.Width)}\" height=\"{N(r.Box.Height)}\" fill-opacity=\"0.12\" stroke-width=\"2\" vector-effect=\"non-scaling-stroke\"/>");
                break;
            case PolygonGeometry poly:
                sb.Append("<path fill-rule=\"evenodd\" fill-opacity=\"0.3\" stroke-width=\"2\" vector-effect=\"non-scaling-stroke\" d=\"");
                AppendRing(sb, poly.Exterior);
                foreach (var hole in poly.Interiors)
                {
                    AppendRing(sb, hole);
                }

                sb.Append("\"/>");
                break;
            case MaskGeometry m:
                sb.Append($"<image class=\"mask\" href=\"data:image/png;base64,{Convert.ToBase64String(MaskPng(m, color))}\" x=\"0\" y=\"0\" width=\"{m.Rle.Width}\" height=\"{m.Rle.Height}\" opacity=\"0.5\"/>");
                var b = m.Bounds();
                sb.Append($"<rect x=\"{N(b.Left)}\" y=\"{N(b.Top)}\" width=\"{N(b.Width)}\" height=\"{N(b.Height)}\" fill=\"none\" stroke-dasharray=\"4 3\" stroke-width=\"1\" vector-effect=\"non-scaling-stroke\"/>");
                break;
            case PointGeometry pt:
                sb.Append($"<circle cx=\"{N(pt.Point.X)}\" cy=\"{N(pt.Point.Y)}\" r=\"{N(dot * 1.5)}\" stroke=\"#fff\" stroke-width=\"1\" vector-effect=\"non-scaling-stroke\"/>");
                break;
            case PolylineGeometry pl:
                sb.Append("<polyline fill=\"none\" stroke-width=\"3\" vector-effect=\"non-scaling-stroke\" points=\"");
                foreach (var q in pl.Points)
                {
                    sb.Append(N(q.X)).Append(',').Append(N(q.Y)).Append(' ');
                }

                sb.Append("\"/>");
                break;
            case KeypointsGeometry k:
                if (cls?.Keypoints is { } template)
                {
                    foreach (var e in template.Edges)
                    {
                        if (e.From < k.Nodes.Count && e.To < k.Nodes.Count && k.Nodes[e.From].Visibility > 0 && k.Nodes[e.To].Visibility > 0)
                        {
                            sb.Append($"<line x1=\"{N(k.Nodes[e.From].X)}\" y1=\"{N(k.Nodes[e.From].Y)}\" x2=\"{N(k.Nodes[e.To].X)}\" y2=\"{N(k.Nodes[e.To].Y)}\" stroke-width=\"2\" vector-effect=\"non-scaling-stroke\"/>");
                        }
                    }
                }

                foreach (var n in k.Nodes)
                {
                    if (n.Visibility > 0)
                    {
                        sb.Append($"<circle class=\"kp\" cx=\"{N(n.X)}\" cy=\"{N(n.Y)}\" r=\"{N(dot)}\" stroke=\"#fff\" stroke-width=\"1\" vector-effect=\"non-scaling-stroke\"/>");
                    }
                }

                break;
        }

    }

    private static void AppendRing(StringBuilder sb, IReadOnlyList<PointD> ring)
    {
        for (var i = 0; i < ring.Count; i++)
        {
            sb.Append(i == 0 ? 'M' : 'L').Append(N(ring[i].X)).Append(' ').Append(N(ring[i].Y)).Append(' ');
        }

        sb.Append("Z ");
    }

    private static byte[] MaskPng(MaskGeometry m, string color)
    {
        var rle = m.Rle;
        var mask = rle.Decode();
        SKColor.TryParse(color, out var c);
        using var bmp = new SKBitmap(new SKImageInfo(rle.Width, rle.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var pixels = new uint[rle.Width * rle.Height];
        var rgba = (uint)(c.Red | (c.Green << 8) | (c.Blue << 16) | (0xFFu << 24));
        for (var x = 0; x < rle.Width; x++)
        {
            for (var y = 0; y < rle.Height; y++)
            {
                if (mask[(x * rle.Height) + y] != 0)
                {
                    pixels[(y * rle.Width) + x] = rgba;
                }
            }
        }

        System.Runtime.InteropServices.Marshal.Copy((int[])(object)pixels, 0, bmp.GetPixels(), pixels.Length);
        using var img = SKImage.FromBitmap(bmp);
        using var data = img.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
