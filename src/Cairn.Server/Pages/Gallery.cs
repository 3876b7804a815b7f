using System.Text;
using Cairn.Core.Model;
using Cairn.Server.Endpoints;
using Microsoft.AspNetCore.Http;
using static Cairn.Server.Pages.Html;

namespace Cairn.Server.Pages;

/// <summary>
/// The item gallery of a working state and of a version: a plain GET filter form (the address holds the search, so it
/// can be shared), thumbnails with their labels drawn as SVG over them (shown or hidden by gallery.js, which remembers
/// the choice in localStorage), and a pager that keeps the filter.
/// </summary>
public static class Gallery
{
    /// <summary>Thumbnails per page.</summary>
    public const int PageSize = 60;

    /// <summary>One thumbnail.</summary>
    public sealed record Thumb(string Href, string ImageUrl, string Caption, int LabelCount, Annotation Annotation);

    /// <summary>What the form offers: classes with colours, tag names, and datasets (value, path) unless one is fixed.</summary>
    public sealed record Choices(IReadOnlyList<ObjClass> Classes, IReadOnlyList<string> Tags, IReadOnlyList<(string Value, string Path)>? Datasets);

    /// <summary>The form, an error (if the search was refused) or the thumbnails, and the pager.</summary>
    public static string Render(string action, IQueryCollection query, Choices choices, string? problem, long total, int page, IReadOnlyList<Thumb> thumbs, ProjectMeta meta)
    {
        var sb = new StringBuilder();
        AppendForm(sb, action, query, choices);
        if (problem is not null)
        {
            sb.Append($"<p class=\"removed\" id=\"filter-problem\" role=\"alert\">{H(problem)}</p>");
            return sb.ToString();
        }

        sb.Append($"<p class=\"muted\" id=\"match-count\">{total} item{(total == 1 ? string.Empty : "s")}{(IsFiltered(query) ? " match" : string.Empty)}</p>");
        sb.Append("<div class=\"gallery\" id=\"gallery\">");
        foreach (var t in thumbs)
        {
            sb.Append($"<a class=\"thumb\" href=\"{H(t.Href)}\"><span class=\"frame\"><img loading=\"lazy\" src=\"{H(t.ImageUrl)}\" alt=\"{H(t.Caption)}\">");
            AppendOverlay(sb, t.Annotation, meta);
            sb.Append($"</span><span>{H(t.Caption)}</span><span class=\"badge\">{t.LabelCount}</span></a>");
        }

        sb.Append("</div>");
        var pages = (int)Math.Min(int.MaxValue, (total + PageSize - 1) / PageSize);
        if (pages > 1)
        {
            var carry = H(ItemQueryReader.Carry(query));
            sb.Append("<nav class=\"pager\">");
            foreach (var k in PagerNumbers(page, pages))
            {
                sb.Append(k < 0 ? "<span class=\"muted\">…</span>" : k == page ? $"<span>{k}</span>" : $"<a href=\"?page={k}{carry}\">{k}</a>");
            }

            sb.Append("</nav>");
        }

        return sb.ToString();
    }

    /// <summary>The script the gallery needs.</summary>
    public const string Script = "<script src=\"/static/gallery.js\"></script>";

    private static bool IsFiltered(IQueryCollection query) =>
        ItemQueryReader.Parameters.Any(p => query[p].Any(v => !string.IsNullOrEmpty(v)));

    private static void AppendForm(StringBuilder sb, string action, IQueryCollection query, Choices choices)
    {
        var selectedClasses = query["class"].ToHashSet(StringComparer.Ordinal);
        var selectedTags = query["tag"].ToHashSet(StringComparer.Ordinal);
        sb.Append($"<form method=\"get\" action=\"{H(action)}\" id=\"filter\" class=\"filter\">");
        if (choices.Classes.Count > 0)
        {
            sb.Append("<label>Classes <select name=\"class\" multiple size=\"4\">");
            foreach (var c in choices.Classes)
            {
                sb.Append($"<option value=\"{H(c.Name)}\"{(selectedClasses.Contains(c.Name) ? " selected" : string.Empty)}>{H(c.Name)}</option>");
            }

            sb.Append("</select></label>");
        }

        if (choices.Tags.Count > 0)
        {
            sb.Append("<label>Tags <select name=\"tag\" multiple size=\"4\">");
            foreach (var t in choices.Tags)
            {
                sb.Append($"<option value=\"{H(t)}\"{(selectedTags.Contains(t) ? " selected" : string.Empty)}>{H(t)}</option>");
            }

            sb.Append("</select></label>");
        }

        sb.Append($"<label>Name contains <input name=\"name\" value=\"{H(query["name"].LastOrDefault())}\" maxlength=\"256\"></label>");
        if (choices.Datasets is { } datasets)
        {
            var current = query["dataset"].LastOrDefault();
            sb.Append("<label>Dataset <select name=\"dataset\"><option value=\"\">all</option>");
            foreach (var (value, path) in datasets)
            {
                sb.Append($"<option value=\"{H(value)}\"{(value == current ? " selected" : string.Empty)}>{H(path)}</option>");
            }

            sb.Append("</select></label>");
        }

        sb.Append("<fieldset><legend>Labels</legend>");
        Range(sb, query, "minLabels", "maxLabels");
        sb.Append("</fieldset><fieldset><legend>Width (px)</legend>");
        Range(sb, query, "minWidth", "maxWidth");
        sb.Append("</fieldset><fieldset><legend>Height (px)</legend>");
        Range(sb, query, "minHeight", "maxHeight");
        sb.Append($"</fieldset><span class=\"filter-actions\"><button>Filter</button> <a href=\"{H(action)}\">Clear</a>");
        sb.Append(" <label class=\"overlay-switch\"><input type=\"checkbox\" id=\"overlay-toggle\" checked> Show labels</label></span></form>");
    }

    private static void Range(StringBuilder sb, IQueryCollection query, string min, string max)
    {
        // type=text, not number: a browser would drop a bad value it cannot show, and the page says what was wrong with it.
        sb.Append($"<input name=\"{min}\" inputmode=\"numeric\" size=\"6\" placeholder=\"min\" value=\"{H(query[min].LastOrDefault())}\" aria-label=\"{min}\"> – ");
        sb.Append($"<input name=\"{max}\" inputmode=\"numeric\" size=\"6\" placeholder=\"max\" value=\"{H(query[max].LastOrDefault())}\" aria-label=\"{max}\">");
    }

    /// <summary>
    /// The labels of a thumbnail as SVG in image coordinates; <c>slice</c> scales and crops it exactly as the
    /// thumbnail's <c>object-fit: cover</c> does, so the shapes stay on their objects.
    /// </summary>
    public static void AppendOverlay(StringBuilder sb, Annotation ann, ProjectMeta meta)
    {
        var w = Math.Max(1, ann.Width);
        var h = Math.Max(1, ann.Height);
        var r = Math.Max(w, h) / 80.0;
        sb.Append($"<svg class=\"overlay\" viewBox=\"0 0 {w} {h}\" preserveAspectRatio=\"xMidYMid slice\" aria-hidden=\"true\">");
        foreach (var l in ann.Labels)
        {
            var color = H(meta.FindClass(l.ClassName)?.Color ?? "#ff00ff");
            switch (l.Geometry)
            {
                case RectangleGeometry rect:
                    sb.Append($"<rect class=\"shape\" x=\"{N(rect.Box.Left)}\" y=\"{N(rect.Box.Top)}\" width=\"{N(rect.Box.Width)}\" height=\"{N(rect.Box.Height)}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" vector-effect=\"non-scaling-stroke\"/>");
                    break;
                case PolygonGeometry poly:
                    sb.Append($"<polygon class=\"shape\" fill=\"{color}\" fill-opacity=\"0.25\" stroke=\"{color}\" stroke-width=\"2\" vector-effect=\"non-scaling-stroke\" points=\"");
                    foreach (var p in poly.Exterior)
                    {
                        sb.Append(N(p.X)).Append(',').Append(N(p.Y)).Append(' ');
                    }

                    sb.Append("\"/>");
                    break;
                case PointGeometry pt:
                    sb.Append($"<circle class=\"shape\" cx=\"{N(pt.Point.X)}\" cy=\"{N(pt.Point.Y)}\" r=\"{N(r)}\" fill=\"{color}\"/>");
                    break;
                default:
                    // Masks, polylines and keypoints: their bounds, dashed (the item page draws them in full).
                    var b = l.Geometry.Bounds();
                    sb.Append($"<rect class=\"shape\" x=\"{N(b.Left)}\" y=\"{N(b.Top)}\" width=\"{N(b.Width)}\" height=\"{N(b.Height)}\" fill=\"none\" stroke=\"{color}\" stroke-dasharray=\"4 3\" stroke-width=\"2\" vector-effect=\"non-scaling-stroke\"/>");
                    break;
            }
        }

        sb.Append("</svg>");
    }

    private static IEnumerable<int> PagerNumbers(int page, int pages)
    {
        // First, last and a window around the current page: a 10,000-page search keeps a short pager.
        var last = 0;
        for (var k = 1; k <= pages; k++)
        {
            if (k <= 2 || k > pages - 2 || Math.Abs(k - page) <= 3)
            {
                if (last != 0 && k != last + 1)
                {
                    yield return -1;
                }

                last = k;
                yield return k;
            }
        }
    }
}
