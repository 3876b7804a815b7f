using System.Globalization;
using System.Text;
using Cairn.Operations.Benchmarks;
using Cairn.Server.Accounts;
using Cairn.Storage.Catalog;
using Cairn.Storage.Projects;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Cairn.Server.Pages.Html;

namespace Cairn.Server.Pages;

/// <summary>
/// From a benchmark to its images: the benchmark page's "images with most errors" and confusion matrix (links around
/// the report, which stays static and sandboxed), a page per image with its predictions against its ground truth, and
/// the images behind one confusion cell; each links to the item page ("open in editor").
/// </summary>
public static class BenchmarkImagePages
{
    private const string TpColor = "#1f9d55";
    private const string FpColor = "#d64545";
    private const string FnColor = "#f28c28";
    private const string IgnoredColor = "#8a8f99";

    /// <summary>Maps the pages.</summary>
    public static IEndpointRouteBuilder MapBenchmarkImagePages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/evaluations/{id:long}/images/{n:int}", ImagePage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/evaluations/{id:long}/confusions", ConfusionPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        return app;
    }

    /// <summary>The benchmark page's section above the report: images with most errors and the linked confusion matrix.</summary>
    public static string ErrorsSection(EvaluationRow e, BenchmarkMatchesReader reader, EvaluationService evaluations, ProjectService projects)
    {
        var m = reader.Read(e.Id);
        if (m is null)
        {
            return "<p class=\"muted\" id=\"no-matches\">This benchmark stored no per-image matches (it ran before Cairn kept them): run it again to browse its images.</p>";
        }

        var sb = new StringBuilder("<section class=\"bench-find\" id=\"bench-find\"><div class=\"cols\"><div>");
        sb.Append($"<h2>Images with most errors</h2><p class=\"muted\">At IoU {F(m.Iou)} and confidence ≥ {F(m.Confidence)}.</p>");
        var worst = m.Images.Select((im, n) => (im, n)).Where(x => x.im.Fp + x.im.Fn > 0).OrderByDescending(x => x.im.Fp + x.im.Fn).ThenBy(x => x.n).Take(10).ToList();
        if (worst.Count == 0)
        {
            sb.Append("<p class=\"empty\">No image has an error at these thresholds.</p>");
        }
        else
        {
            var version = evaluations.Version(e);
            sb.Append("<table class=\"grid\" id=\"most-errors\"><thead><tr><th>Image</th><th class=\"num\">TP</th><th class=\"num\">FP</th><th class=\"num\">FN</th><th></th></tr></thead><tbody>");
            foreach (var (im, n) in worst)
            {
                sb.Append($"<tr><td><a class=\"bench-image\" href=\"/evaluations/{e.Id}/images/{n}\">{H(im.Dataset)}/{H(im.Name)}</a></td><td class=\"num\">{im.Tp}</td><td class=\"num\">{im.Fp}</td><td class=\"num\">{im.Fn}</td><td>{EditorLink(version, im, projects)}</td></tr>");
            }

            sb.Append("</tbody></table>");
        }

        sb.Append("</div><div><h2>Confusion</h2><p class=\"muted\">Rows: ground truth; columns: predicted. A cell lists its images.</p>");
        sb.Append(ConfusionTable(e.Id, m));
        sb.Append("</div></div></section>");
        return sb.ToString();
    }

    private static string ConfusionTable(long id, BenchmarkMatches m)
    {
        var k = m.Classes.Count;
        var counts = new int[k + 1, k + 1];
        foreach (var im in m.Images)
        {
            foreach (var d in im.Detections)
            {
                if (d.Outcome != MatchedBox.Ignored && d.Other >= -1)
                {
                    counts[d.Other < 0 ? k : d.Other, d.Class]++;
                }
            }

            foreach (var g in im.GroundTruths)
            {
                if (g.Outcome != MatchedBox.Ignored && g.Other == -1)
                {
                    counts[g.Class, k]++;
                }
            }
        }

        string Name(int i) => i == k ? "background" : m.Classes[i];
        var sb = new StringBuilder("<table class=\"grid confusion\" id=\"confusion\"><thead><tr><th></th>");
        for (var p = 0; p <= k; p++)
        {
            sb.Append($"<th class=\"num\">{H(Name(p))}</th>");
        }

        sb.Append("</tr></thead><tbody>");
        for (var a = 0; a <= k; a++)
        {
            sb.Append($"<tr><th>{H(Name(a))}</th>");
            for (var p = 0; p <= k; p++)
            {
                var c = counts[a, p];
                var cls = a == p ? "diag" : "off";
                sb.Append(c == 0 || (a == k && p == k)
                    ? $"<td class=\"num {cls}\">{(a == k && p == k ? string.Empty : "0")}</td>"
                    : $"<td class=\"num {cls}\"><a href=\"/evaluations/{id}/confusions?actual={Uri.EscapeDataString(Name(a))}&amp;predicted={Uri.EscapeDataString(Name(p))}\" data-actual=\"{H(Name(a))}\" data-predicted=\"{H(Name(p))}\">{c}</a></td>");
            }

            sb.Append("</tr>");
        }

        sb.Append("</tbody></table>");
        return sb.ToString();
    }

    private static IResult ConfusionPage(long id, string? actual, string? predicted, EvaluationService evaluations, BenchmarkMatchesReader reader, ProjectService projects)
    {
        var e = evaluations.Get(id);
        var m = e is null ? null : reader.Read(id);
        if (e is null || m is null)
        {
            return NotFoundPage(e is null ? $"There is no evaluation {id}." : $"Evaluation {id} stored no per-image matches.");
        }

        var crumbs = new List<(string, string?)> { ("Benchmarks", "/evaluations"), (e.Title, $"/evaluations/{id}"), ("Confusion", null) };
        int? Index(string? name) => name == "background" ? -1 : name is not null && m.Classes.ToList().IndexOf(name) is var i and >= 0 ? i : null;
        var a = Index(actual);
        var p = Index(predicted);
        if (a is null || p is null || (a == -1 && p == -1))
        {
            var which = a is null ? "actual" : "predicted";
            var message = a == -1 && p == -1
                ? "actual and predicted: expected at least one class (background against background is no cell)"
                : $"{which}: expected one of {string.Join(", ", m.Classes)} or background";
            return Page("Confusion", crumbs, $"<h1>Confusion</h1><p class=\"removed\" id=\"filter-problem\">{H(message)}</p>", statusCode: 400);
        }

        var version = evaluations.Version(e);
        var images = m.Images.Select((im, n) => (im, n)).Where(x => x.im.HasConfusion(a.Value, p.Value)).ToList();
        var sb = new StringBuilder($"<h1>Ground truth {H(actual)} predicted as {H(predicted)}</h1>");
        sb.Append($"<p class=\"muted\">{images.Count} image{(images.Count == 1 ? string.Empty : "s")} at IoU {F(m.Iou)}, confidence ≥ {F(m.Confidence)}.</p>");
        sb.Append("<table class=\"grid\" id=\"confusion-images\"><thead><tr><th>Image</th><th class=\"num\">TP</th><th class=\"num\">FP</th><th class=\"num\">FN</th><th></th></tr></thead><tbody>");
        foreach (var (im, n) in images.Take(200))
        {
            sb.Append($"<tr><td><a class=\"bench-image\" href=\"/evaluations/{id}/images/{n}\">{H(im.Dataset)}/{H(im.Name)}</a></td><td class=\"num\">{im.Tp}</td><td class=\"num\">{im.Fp}</td><td class=\"num\">{im.Fn}</td><td>{EditorLink(version, im, projects)}</td></tr>");
        }

        sb.Append("</tbody></table>");
        if (images.Count > 200)
        {
            sb.Append($"<p class=\"muted\">The first 200 of {images.Count}.</p>");
        }

        return Page("Confusion", crumbs, sb.ToString());
    }

    private static IResult ImagePage(long id, int n, EvaluationService evaluations, BenchmarkMatchesReader reader, ProjectService projects)
    {
        var e = evaluations.Get(id);
        var m = e is null ? null : reader.Read(id);
        if (e is null || m is null)
        {
            return NotFoundPage(e is null ? $"There is no evaluation {id}." : $"Evaluation {id} stored no per-image matches.");
        }

        if (n < 0 || n >= m.Images.Count)
        {
            return NotFoundPage($"Evaluation {id} has images 0 to {m.Images.Count - 1}, not {n}.");
        }

        var im = m.Images[n];
        var version = evaluations.Version(e);
        var w = Math.Max(1, im.Width);
        var h = Math.Max(1, im.Height);
        var sb = new StringBuilder($"<h1>{H(im.Dataset)}/{H(im.Name)}</h1>");
        sb.Append($"<p class=\"muted\">Benchmark <a href=\"/evaluations/{id}\">{H(e.Title)}</a> · image {n + 1} of {m.Images.Count} · IoU threshold <b id=\"iou-threshold\">{F(m.Iou)}</b> · confidence ≥ {F(m.Confidence)}</p>");
        sb.Append($"<p class=\"actions\">{EditorLink(version, im, projects)}");
        if (version is not null)
        {
            sb.Append($" <a class=\"button secondary\" href=\"/projects/{version.ProjectId}/versions/{version.Number}/items/{n}\">As benchmarked ({H(version.ProjectName)}@{version.Number})</a>");
        }

        if (n > 0)
        {
            sb.Append($" <a class=\"button secondary\" href=\"/evaluations/{id}/images/{n - 1}\" rel=\"prev\">Previous image</a>");
        }

        if (n + 1 < m.Images.Count)
        {
            sb.Append($" <a class=\"button secondary\" href=\"/evaluations/{id}/images/{n + 1}\" rel=\"next\">Next image</a>");
        }

        sb.Append("</p>");
        sb.Append("<ul class=\"legend\" id=\"legend\">");
        sb.Append($"<li>{Swatch(TpColor)}true positive <b class=\"count-tp\">{im.Tp}</b></li>");
        sb.Append($"<li>{Swatch(FpColor)}false positive <b class=\"count-fp\">{im.Fp}</b></li>");
        sb.Append($"<li>{Swatch(FnColor)}false negative (missed) <b class=\"count-fn\">{im.Fn}</b></li>");
        sb.Append($"<li>{Swatch(IgnoredColor)}crowd region or ignored</li>");
        sb.Append("<li class=\"muted\">solid: prediction · dashed: ground truth</li></ul>");
        sb.Append("<div class=\"item\"><div class=\"canvas\">");
        sb.Append($"<svg id=\"bench-svg\" viewBox=\"0 0 {w} {h}\" preserveAspectRatio=\"xMidYMid meet\" xmlns=\"http://www.w3.org/2000/svg\">");
        sb.Append($"<image href=\"/api/v1/objects/{H(im.Image)}\" x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\"/>");
        foreach (var g in im.GroundTruths)
        {
            // A matched ground truth is drawn faintly: its detection says the same thing in green.
            var color = g.Outcome switch { MatchedBox.Tp => TpColor, MatchedBox.Fn => FnColor, _ => IgnoredColor };
            sb.Append($"<rect class=\"gt {g.Outcome}\" data-class=\"{H(ClassName(m, g.Class))}\" x=\"{N(g.Box[0])}\" y=\"{N(g.Box[1])}\" width=\"{N(g.Box[2])}\" height=\"{N(g.Box[3])}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{(g.Outcome == MatchedBox.Fn ? 3 : 1.5)}\" stroke-dasharray=\"6 4\" vector-effect=\"non-scaling-stroke\"><title>ground truth {H(ClassName(m, g.Class))}: {Word(g.Outcome, true)}</title></rect>");
        }

        foreach (var d in im.Detections)
        {
            var color = d.Outcome switch { MatchedBox.Tp => TpColor, MatchedBox.Fp => FpColor, _ => IgnoredColor };
            sb.Append($"<rect class=\"dt {d.Outcome}\" data-class=\"{H(ClassName(m, d.Class))}\" x=\"{N(d.Box[0])}\" y=\"{N(d.Box[1])}\" width=\"{N(d.Box[2])}\" height=\"{N(d.Box[3])}\" fill=\"{color}\" fill-opacity=\"0.08\" stroke=\"{color}\" stroke-width=\"2.5\" vector-effect=\"non-scaling-stroke\"><title>{H(ClassName(m, d.Class))} {F(d.Score ?? 0)}: {Word(d.Outcome, false)}</title></rect>");
        }

        sb.Append("</svg></div><aside><h2>Predictions</h2><ol class=\"labels\" id=\"bench-detections\">");
        foreach (var d in im.Detections)
        {
            var other = d.Outcome == MatchedBox.Fp && d.Other >= 0 && d.Other != d.Class ? $" <span class=\"muted\">on a {H(ClassName(m, d.Other))}</span>" : string.Empty;
            sb.Append($"<li class=\"{d.Outcome}\"><b>{H(ClassName(m, d.Class))}</b> {F(d.Score ?? 0)} <span class=\"tag\">{Word(d.Outcome, false)}</span>{other}</li>");
        }

        sb.Append("</ol><h2>Ground truth</h2><ol class=\"labels\" id=\"bench-ground-truth\">");
        foreach (var g in im.GroundTruths)
        {
            sb.Append($"<li class=\"{g.Outcome}\"><b>{H(ClassName(m, g.Class))}</b> <span class=\"tag\">{Word(g.Outcome, true)}</span></li>");
        }

        sb.Append("</ol></aside></div>");
        return Page($"{im.Name} · {e.Title}", [("Benchmarks", "/evaluations"), (e.Title, $"/evaluations/{id}"), (im.Name, null)], sb.ToString());
    }

    // The working-state item of the benchmarked image, where the annotation can be corrected; the version itself is read-only.
    private static string EditorLink(Storage.Benchmarks.EvaluatedVersion? version, MatchedImage im, ProjectService projects)
    {
        if (version is null)
        {
            return "<span class=\"muted\">no project to edit</span>";
        }

        var item = projects.FindItem(version.ProjectId, im.Dataset, im.Name);
        return item is null
            ? $"<span class=\"muted\" title=\"{H(version.ProjectName)} no longer holds this image in its working state\">not in the working state</span>"
            : $"<a class=\"button open-editor\" href=\"/items/{item.Id}?edit=true\">Open in editor</a>";
    }

    private static string ClassName(BenchmarkMatches m, int i) => i >= 0 && i < m.Classes.Count ? m.Classes[i] : "?";

    private static string Word(string outcome, bool groundTruth) => outcome switch
    {
        MatchedBox.Tp => groundTruth ? "found (TP)" : "TP",
        MatchedBox.Fp => "FP",
        MatchedBox.Fn => "missed (FN)",
        _ => groundTruth ? "crowd" : "on a crowd region",
    };

    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
}
