using System.Text;
using Cairn.Core.Model;
using Cairn.Storage.Versions;
using static Cairn.Server.Pages.Html;

namespace Cairn.Server.Pages;

/// <summary>
/// One item's diff: the before and after images side by side, each with its labels drawn as SVG and coloured by what
/// happened to them (added, removed, changed, unchanged), and the list of changes label by label.
/// </summary>
public static class ItemDiffView
{
    /// <summary>The colour of each kind of change, on the drawing and in the legend.</summary>
    public static string Color(LabelChangeKind kind) => kind switch
    {
        LabelChangeKind.Added => "#16a34a",
        LabelChangeKind.Removed => "#dc2626",
        LabelChangeKind.Changed => "#f59e0b",
        _ => "#9ca3af",
    };

    private static string Name(LabelChangeKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The HTML of the item's diff (either side may lack the item: added or removed as a whole).</summary>
    public static string Render(string dataset, string name, string fromLabel, VersionItem? before, string toLabel, VersionItem? after, ProjectMeta metaBefore, ProjectMeta metaAfter)
    {
        var a = before?.ParseAnnotation() ?? new Annotation(after!.Width, after.Height, [], []);
        var b = after?.ParseAnnotation() ?? new Annotation(before!.Width, before.Height, [], []);
        var changes = LabelDiffer.Diff(a, b);
        var count = (LabelChangeKind k) => changes.Count(c => c.Kind == k);
        var sb = new StringBuilder($"<h1>{H(dataset)}/{H(name)}: {H(fromLabel)} → {H(toLabel)}</h1>");
        sb.Append("<p class=\"diff-legend\" id=\"diff-legend\">");
        foreach (var k in new[] { LabelChangeKind.Added, LabelChangeKind.Removed, LabelChangeKind.Changed, LabelChangeKind.Same })
        {
            sb.Append($"<span class=\"legend-{Name(k)}\">{Swatch(Color(k))} {count(k)} {(k == LabelChangeKind.Same ? "unchanged" : Name(k))}</span> ");
        }

        if (before is not null && after is not null && before.ImageId != after.ImageId)
        {
            sb.Append("<span class=\"tag\">image changed</span>");
        }

        sb.Append("</p><div class=\"item-diff\" id=\"item-diff\">");
        Side(sb, "before", fromLabel, before, a, metaBefore, changes, c => c.Before);
        Side(sb, "after", toLabel, after, b, metaAfter, changes, c => c.After);
        sb.Append("</div>");
        var tagsBefore = string.Join(", ", a.Tags.Select(TagText));
        var tagsAfter = string.Join(", ", b.Tags.Select(TagText));
        if (tagsBefore != tagsAfter)
        {
            sb.Append($"<p id=\"diff-tags\">Image tags: <span class=\"removed\">{H(tagsBefore.Length == 0 ? "none" : tagsBefore)}</span> → <span class=\"added\">{H(tagsAfter.Length == 0 ? "none" : tagsAfter)}</span></p>");
        }

        sb.Append("<h2>Labels</h2><table class=\"grid\" id=\"label-changes\"><thead><tr><th>#</th><th>Change</th><th>Class before</th><th>Class after</th><th>Shape</th></tr></thead><tbody>");
        for (var i = 0; i < changes.Count; i++)
        {
            var c = changes[i];
            if (c.Kind == LabelChangeKind.Same)
            {
                continue;
            }

            var shape = (c.After ?? c.Before)!.Geometry.Kind.ToString().ToLowerInvariant();
            sb.Append($"<tr class=\"{Name(c.Kind)}\" data-change=\"{i}\"><td>{i + 1}</td><td class=\"{Name(c.Kind)}\">{Name(c.Kind)}</td><td>{H(c.Before?.ClassName)}</td><td>{H(c.After?.ClassName)}</td><td>{shape}</td></tr>");
        }

        sb.Append("</tbody></table>");
        if (changes.All(c => c.Kind == LabelChangeKind.Same))
        {
            sb.Append("<p class=\"empty\">The labels are the same on both sides.</p>");
        }

        return sb.ToString();
    }

    private static string TagText(Tag t) => t.Value is null ? t.Name : $"{t.Name}={t.Value}";

    private static void Side(StringBuilder sb, string side, string label, VersionItem? item, Annotation ann, ProjectMeta meta, IReadOnlyList<LabelChange> changes, Func<LabelChange, Label?> pick)
    {
        sb.Append($"<figure class=\"diff-side\" id=\"diff-{side}\"><figcaption>{side}: {H(label)}</figcaption>");
        if (item is null)
        {
            sb.Append($"<p class=\"empty\">Not in {H(label)}.</p></figure>");
            return;
        }

        var w = Math.Max(1, ann.Width);
        var h = Math.Max(1, ann.Height);
        var dot = Math.Max(w, h) / 160.0;
        sb.Append($"<svg viewBox=\"0 0 {w} {h}\" preserveAspectRatio=\"xMidYMid meet\" xmlns=\"http://www.w3.org/2000/svg\">");
        sb.Append($"<image href=\"/api/v1/objects/{item.ImageId}\" x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\"/>");
        for (var i = 0; i < changes.Count; i++)
        {
            if (pick(changes[i]) is not { } l)
            {
                continue;
            }

            var kind = changes[i].Kind;
            var color = Color(kind);
            sb.Append($"<g class=\"label {Name(kind)}\" data-change=\"{i}\" data-class=\"{H(l.ClassName)}\" stroke=\"{color}\" fill=\"{color}\">");
            sb.Append($"<title>{Name(kind)}: {H(l.ClassName)}</title>");
            ItemView.AppendShape(sb, l.Geometry, meta.FindClass(l.ClassName), color, dot);
            sb.Append("</g>");
        }

        sb.Append("</svg></figure>");
    }
}
