using Cairn.Server.Accounts;
using System.Text;
using Cairn.Core.Ids;
using Cairn.Core.Serialization;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Cairn.Server.Pages.Html;

namespace Cairn.Server.Pages;

/// <summary>Version history, diff between any two versions (or a version and the working state), restore, read-only browsing.</summary>
public static class VersionPages
{
    /// <summary>Maps the version pages.</summary>
    public static IEndpointRouteBuilder MapVersionPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/projects/{id:long}/versions", History).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/projects/{id:long}/versions/diff", DiffPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/projects/{id:long}/versions/diff/item", ItemDiffPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/projects/{id:long}/versions/{n:int}", VersionGallery).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/projects/{id:long}/versions/{n:int}/items/{index:long}", VersionItemPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapPost("/projects/{id:long}/versions/{n:int}/restore", Restore).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Edit);
        app.MapPost("/projects/{id:long}/versions", CreateFromForm).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Edit);
        return app;
    }

    private static IResult History(long id, ProjectService projects, VersionService versions)
    {
        var p = projects.Get(id);
        if (p is null)
        {
            return NotFoundPage($"There is no project {id}.");
        }

        var list = versions.List(id).OrderByDescending(v => v.Number).ToList();
        var sb = new StringBuilder($"<h1>{H(p.Name)}: versions</h1>");
        if (p.OriginVersionId is { } origin && versions.Get(origin) is { } from && projects.Get(from.ProjectId) is { } fromProject)
        {
            sb.Append($"<p class=\"muted\">Restored from <a href=\"/projects/{fromProject.Id}/versions/{from.Number}\">{H(fromProject.Name)}@{from.Number}</a>.</p>");
        }

        sb.Append($"<form method=\"post\" action=\"/projects/{id}/versions\" class=\"inline\" id=\"create-version\"><input name=\"title\" placeholder=\"title\"> <input name=\"description\" placeholder=\"description\" size=\"40\"> <button>Create version</button></form>");
        if (list.Count == 0)
        {
            sb.Append("<p class=\"empty\">No versions yet. Create one above or with <code>./cairn version create " + H(p.Name) + "</code>.</p>");
            return Page($"{p.Name} versions", [("Projects", "/projects"), (p.Name, $"/projects/{id}"), ("Versions", null)], sb.ToString());
        }

        sb.Append($"<form method=\"get\" action=\"/projects/{id}/versions/diff\" id=\"diff-form\"><p>Compare <select name=\"a\">");
        foreach (var v in list)
        {
            sb.Append($"<option value=\"{v.Number}\"{(v.Number == list[Math.Min(1, list.Count - 1)].Number ? " selected" : string.Empty)}>v{v.Number}</option>");
        }

        sb.Append("</select> with <select name=\"b\"><option value=\"working\">working state</option>");
        foreach (var v in list)
        {
            sb.Append($"<option value=\"{v.Number}\"{(v.Number == list[0].Number ? " selected" : string.Empty)}>v{v.Number}</option>");
        }

        sb.Append("</select> <button>Show diff</button></p></form>");
        sb.Append("<table class=\"grid\" id=\"versions\"><thead><tr><th>Version</th><th>Title</th><th>Author</th><th>Created</th><th class=\"num\">Items</th><th class=\"num\">Labels</th><th class=\"num\" title=\"Bytes this version added to the object store (its snapshot; images are stored by imports and edits)\">Newly stored</th><th>What changed</th><th></th></tr></thead><tbody>");
        var byNumber = list.ToDictionary(v => v.Number);
        foreach (var v in list)
        {
            var change = "first version";
            if (byNumber.TryGetValue(v.Number - 1, out var prev))
            {
                // Recorded when the version was made; versions from before that get a diff computed here.
                var c = v.Stats.Changes ?? Summary(versions.Diff(prev, v, $"v{prev.Number}", $"v{v.Number}"));
                change = c.IsEmpty ? "no change" : $"<a href=\"/projects/{id}/versions/diff?a={prev.Number}&amp;b={v.Number}\"><span class=\"added\">+{c.Added}</span> <span class=\"removed\">−{c.Removed}</span> <span class=\"changed\">~{c.Changed}</span>{(c.MetaChanged ? " meta" : string.Empty)}</a>";
            }

            sb.Append($"<tr><td><a href=\"/projects/{id}/versions/{v.Number}\">v{v.Number}</a></td><td>{H(v.Title)}<div class=\"muted\">{H(v.Description)}</div></td><td>{H(v.Author)}</td><td>{v.CreatedAt:yyyy-MM-dd HH:mm}</td><td class=\"num\">{v.Items}</td><td class=\"num\">{v.Labels}</td><td class=\"num\">{Bytes(v.NewBytes)}</td><td>{change}</td>");
            sb.Append($"<td><form method=\"post\" action=\"/projects/{id}/versions/{v.Number}/restore\" class=\"inline\"><button class=\"secondary restore\" title=\"Create a new project from this version (no image bytes copied)\">Restore</button></form></td></tr>");
        }

        sb.Append("</tbody></table>");
        return Page($"{p.Name} versions", [("Projects", "/projects"), (p.Name, $"/projects/{id}"), ("Versions", null)], sb.ToString());
    }

    private static VersionChanges Summary(VersionDiff d) => new(d.Added.Count, d.Removed.Count, d.Changed.Count, d.MetaChanged);

    private static IResult CreateFromForm(long id, HttpRequest request, VersionService versions)
    {
        var form = request.Form;
        var result = versions.Create(id, form["title"].ToString() is { Length: > 0 } t ? t : null, form["description"].ToString() is { Length: > 0 } d ? d : null, RequestUser.Author(request.HttpContext));
        return result is null ? NotFoundPage($"There is no project {id}.") : Results.Redirect($"/projects/{id}/versions");
    }

    private static async Task<IResult> Restore(long id, int n, HttpRequest request, ProjectService projects, VersionService versions)
    {
        var v = versions.Get(id, n);
        var p = projects.Get(id);
        if (v is null || p is null)
        {
            return NotFoundPage($"Project {id} has no version {n}.");
        }

        var name = request.HasFormContentType && request.Form["name"].ToString() is { Length: > 0 } given ? given : null;
        var restored = versions.Restore(v, name, restoredBy: RequestUser.Author(request.HttpContext));
        if (restored is null)
        {
            // The default name exists: make it unique with a time stamp rather than failing a one-click action.
            restored = versions.Restore(v, $"{p.Name} v{n} ({DateTime.UtcNow:yyyy-MM-dd HH.mm.ss})", restoredBy: RequestUser.Author(request.HttpContext));
        }

        if (restored is null)
        {
            return Results.Problem("Restore failed: the project name is taken.", statusCode: 409);
        }

        await request.HttpContext.AuditAsync(AuditActions.Restore, $"project {id} v{n}", $"as project {restored.ProjectId}");
        return Results.Redirect($"/projects/{restored.ProjectId}");
    }

    private static IResult DiffPage(long id, string? a, string? b, ProjectService projects, VersionService versions)
    {
        var p = projects.Get(id);
        if (p is null)
        {
            return NotFoundPage($"There is no project {id}.");
        }

        if (!int.TryParse(a, out var na) || versions.Get(id, na) is not { } va)
        {
            return NotFoundPage($"Project {p.Name} has no version '{a}'.");
        }

        VersionDiff diff;
        if (b is null or "working")
        {
            var (root, stats) = versions.WorkingSnapshot(id) ?? throw new InvalidOperationException("project vanished");
            diff = versions.Diff(va.RootId, va.Stats, root, stats, $"v{na}", "working state");
        }
        else if (int.TryParse(b, out var nb) && versions.Get(id, nb) is { } vb)
        {
            diff = versions.Diff(va, vb, $"v{na}", $"v{nb}");
        }
        else
        {
            return NotFoundPage($"Project {p.Name} has no version '{b}'.");
        }

        var sb = new StringBuilder($"<h1>{H(p.Name)}: {H(diff.From)} → {H(diff.To)}</h1>");
        sb.Append($"<div class=\"cards\" id=\"diff-summary\"><div class=\"card\"><div class=\"num added\">{diff.Added.Count}</div><div>items added</div></div><div class=\"card\"><div class=\"num removed\">{diff.Removed.Count}</div><div>items removed</div></div><div class=\"card\"><div class=\"num changed\">{diff.ImagesChanged}</div><div>images changed</div></div><div class=\"card\"><div class=\"num changed\">{diff.LabelsChanged}</div><div>labels changed</div></div><div class=\"card\"><div class=\"num\">{(diff.MetaChanged ? "yes" : "no")}</div><div>classes/tags changed</div></div></div>");
        sb.Append("<h2>Labels per class</h2><table class=\"grid\" id=\"class-deltas\"><thead><tr><th>Class</th><th class=\"num\">Before</th><th class=\"num\">After</th><th class=\"num\">Δ</th><th class=\"num\">Images before</th><th class=\"num\">Images after</th></tr></thead><tbody>");
        foreach (var c in diff.Classes)
        {
            var delta = c.LabelsAfter - c.LabelsBefore;
            sb.Append($"<tr><td>{H(c.ClassName)}</td><td class=\"num\">{c.LabelsBefore}</td><td class=\"num\">{c.LabelsAfter}</td><td class=\"num {(delta > 0 ? "added" : delta < 0 ? "removed" : string.Empty)}\">{(delta > 0 ? "+" : string.Empty)}{delta}</td><td class=\"num\">{c.ImagesBefore}</td><td class=\"num\">{c.ImagesAfter}</td></tr>");
        }

        sb.Append("</tbody></table>");
        const int cap = 500;
        void List(string title, string cls, IEnumerable<string> rows, int count)
        {
            if (count == 0)
            {
                return;
            }

            sb.Append($"<h2>{title} ({count})</h2><ul class=\"diff {cls}\">");
            foreach (var r in rows.Take(cap))
            {
                sb.Append("<li>").Append(r).Append("</li>");
            }

            if (count > cap)
            {
                sb.Append($"<li class=\"muted\">… and {count - cap} more (see <code>cairn version diff --json</code>)</li>");
            }

            sb.Append("</ul>");
        }

        // Each item links to its own diff, which draws both sides' labels on the image.
        var bSide = b is null or "working" ? "working" : b;
        string Link(string dataset, string name) =>
            $"<a class=\"item-diff\" href=\"/projects/{id}/versions/diff/item?a={na}&amp;b={Uri.EscapeDataString(bSide)}&amp;dataset={Uri.EscapeDataString(dataset)}&amp;name={Uri.EscapeDataString(name)}\">{H(dataset)}/{H(name)}</a>";
        List("Added", "added", diff.Added.Select(x => $"{Link(x.Dataset, x.Name)} <span class=\"muted\">{x.Labels} labels</span>"), diff.Added.Count);
        List("Removed", "removed", diff.Removed.Select(x => $"{Link(x.Dataset, x.Name)} <span class=\"muted\">{x.Labels} labels</span>"), diff.Removed.Count);
        List("Changed", "changed", diff.Changed.Select(x => $"{Link(x.Dataset, x.Name)} <span class=\"muted\">{(x.ImageChanged ? "image changed; " : string.Empty)}{(x.LabelsChanged ? $"labels {x.LabelsBefore} → {x.LabelsAfter}" : string.Empty)}</span>"), diff.Changed.Count);
        if (diff.IsEmpty)
        {
            sb.Append("<p class=\"empty\">No differences.</p>");
        }

        return Page($"{p.Name} diff", [("Projects", "/projects"), (p.Name, $"/projects/{id}"), ("Versions", $"/projects/{id}/versions"), ($"{diff.From} → {diff.To}", null)], sb.ToString());
    }

    private static IResult ItemDiffPage(long id, string? a, string? b, string? dataset, string? name, ProjectService projects, VersionService versions)
    {
        var p = projects.Get(id);
        if (p is null)
        {
            return NotFoundPage($"There is no project {id}.");
        }

        if (string.IsNullOrEmpty(dataset) || string.IsNullOrEmpty(name))
        {
            return NotFoundPage("Query parameters dataset and name: expected the item's dataset path and name, as the version diff links them.");
        }

        if (!int.TryParse(a, out var na) || versions.Get(id, na) is not { } va)
        {
            return NotFoundPage($"Project {p.Name} has no version '{a}'.");
        }

        ContentId rootB;
        string toLabel;
        string metaB;
        if (b is null or "working")
        {
            rootB = (versions.WorkingSnapshot(id) ?? throw new InvalidOperationException("project vanished")).RootId;
            toLabel = "working state";
            metaB = projects.Get(id)!.MetaJson;
        }
        else if (int.TryParse(b, out var nb) && versions.Get(id, nb) is { } vb)
        {
            rootB = vb.RootId;
            toLabel = $"v{nb}";
            metaB = versions.MetaJson(vb);
        }
        else
        {
            return NotFoundPage($"Project {p.Name} has no version '{b}'.");
        }

        var before = versions.FindItem(va.RootId, dataset, name);
        var after = versions.FindItem(rootB, dataset, name);
        if (before is null && after is null)
        {
            return NotFoundPage($"Neither v{na} nor {toLabel} of {p.Name} has an item {dataset}/{name}.");
        }

        var body = ItemDiffView.Render(dataset, name, $"v{na}", before, toLabel, after, ProjectMetaJson.Parse(versions.MetaJson(va)), ProjectMetaJson.Parse(metaB));
        var diffUrl = $"/projects/{id}/versions/diff?a={na}&b={Uri.EscapeDataString(b ?? "working")}";
        return Page($"{name} diff", [("Projects", "/projects"), (p.Name, $"/projects/{id}"), ("Versions", $"/projects/{id}/versions"), ($"v{na} → {toLabel}", diffUrl), (name, null)], body, "<script src=\"/static/item-diff.js\"></script>");
    }

    private static IResult VersionGallery(long id, int n, HttpRequest request, ProjectService projects, VersionService versions)
    {
        var p = projects.Get(id);
        var v = versions.Get(id, n);
        if (p is null || v is null)
        {
            return NotFoundPage($"Project {id} has no version {n}.");
        }

        var sb = new StringBuilder($"<h1>{H(p.Name)} v{n} <span class=\"tag\">read-only</span></h1>");
        sb.Append($"<p>{H(v.Title)} <span class=\"muted\">{H(v.Description)} · {v.Items} items, {v.Labels} labels · {v.CreatedAt:yyyy-MM-dd HH:mm} by {H(v.Author)}</span></p>");
        sb.Append($"<p><form method=\"post\" action=\"/projects/{id}/versions/{n}/restore\" class=\"inline\"><button class=\"restore\">Restore as a new project</button></form> <a class=\"button secondary\" href=\"/projects/{id}/versions/diff?a={n}&amp;b=working\">Diff with working state</a></p>");
        sb.Append("<h2>Labels per class</h2><p>");
        foreach (var (cls, stat) in v.Stats.Classes)
        {
            sb.Append($"<span class=\"tag\">{H(cls)}: {stat.Labels}</span> ");
        }

        sb.Append("</p>");

        // The same search as the working state's gallery, over the version's own classes and datasets (by path).
        var meta = ProjectMetaJson.Parse(versions.MetaJson(v));
        var (query, problem) = Endpoints.VersionEndpoints.ReadItemQuery(request.Query, v, versions, strict: false);
        var badPage = Endpoints.ItemQueryReader.Count(request.Query, "page", out var page);
        problem ??= badPage;
        var current = Math.Max(1, page ?? 1);
        var matches = problem is null ? versions.Find(v, query!, (long)(current - 1) * Gallery.PageSize, Gallery.PageSize) : new VersionMatches(0, []);
        var thumbs = matches.Items.Select(x => new Gallery.Thumb($"/projects/{id}/versions/{n}/items/{x.Index}", $"/api/v1/objects/{x.Item.ImageId}", $"{x.Item.Dataset}/{x.Item.Name}", x.Item.LabelCount, x.Item.ParseAnnotation())).ToList();
        var choices = new Gallery.Choices(meta.Classes, [.. meta.Tags.Select(t => t.Name)], [.. v.Stats.Datasets.Select(d => (d.Path, d.Path))]);
        sb.Append(Gallery.Render($"/projects/{id}/versions/{n}", request.Query, choices, problem?.Message, matches.Total, current, thumbs, meta));
        return Page($"{p.Name} v{n}", [("Projects", "/projects"), (p.Name, $"/projects/{id}"), ("Versions", $"/projects/{id}/versions"), ($"v{n}", null)], sb.ToString(), Gallery.Script, problem is null ? 200 : 400);
    }

    private static IResult VersionItemPage(long id, int n, long index, ProjectService projects, VersionService versions)
    {
        var p = projects.Get(id);
        var v = versions.Get(id, n);
        if (p is null || v is null)
        {
            return NotFoundPage($"Project {id} has no version {n}.");
        }

        var item = versions.Browse(v, null, index, 1).Items.FirstOrDefault();
        if (item is null)
        {
            return NotFoundPage($"Version {n} of {p.Name} has no item {index}.");
        }

        var meta = ProjectMetaJson.Parse(versions.MetaJson(v));
        var body = ItemView.Render(item.ParseAnnotation(), meta, $"/api/v1/objects/{item.ImageId}", item.Name, null);
        return Page(item.Name, [("Projects", "/projects"), (p.Name, $"/projects/{id}"), ("Versions", $"/projects/{id}/versions"), ($"v{n}", $"/projects/{id}/versions/{n}"), (item.Name, null)], "<p><span class=\"tag\">read-only version " + n + "</span></p>" + body, "<script src=\"/static/item.js\"></script>");
    }
}
