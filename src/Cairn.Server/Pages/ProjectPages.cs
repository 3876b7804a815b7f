using Cairn.Server.Accounts;
using System.Text;
using Cairn.Core.Model;
using Cairn.Core.Serialization;
using Cairn.Server.Endpoints;
using Cairn.Storage.Catalog;
using Cairn.Storage.Projects;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Cairn.Server.Pages.Html;

namespace Cairn.Server.Pages;

/// <summary>Web UI pages: projects list, project, dataset gallery, item with labels drawn.</summary>
public static class ProjectPages
{
    /// <summary>Maps the project pages.</summary>
    public static IEndpointRouteBuilder MapProjectPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/projects", ProjectsList).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/projects/{id:long}", ProjectPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/projects/{id:long}/datasets/{datasetId:long}", DatasetPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/projects/{id:long}/items", ItemsPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/items/{id:long}", ItemPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        return app;
    }

    private static IResult ProjectsList(ProjectService s)
    {
        var projects = s.List();
        var sb = new StringBuilder("<h1>Projects</h1>");
        if (projects.Count == 0)
        {
            sb.Append("<p class=\"empty\">No projects yet. Upload one below, import one with <code>./cairn import coco path/to/dataset --project my-project</code>, or start with <code>./cairn serve --demo</code>.</p>");
        }
        else
        {
            sb.Append("<table class=\"grid\" id=\"projects\"><thead><tr><th>Name</th><th>Items</th><th>Labels</th><th>Latest version</th><th>Created</th></tr></thead><tbody>");
            foreach (var p in projects)
            {
                sb.Append($"<tr><td><a href=\"/projects/{p.Project.Id}\">{H(p.Project.Name)}</a>");
                if (!string.IsNullOrEmpty(p.Project.Description))
                {
                    sb.Append($"<div class=\"muted\">{H(p.Project.Description)}</div>");
                }

                sb.Append($"</td><td>{p.Items}</td><td>{p.Labels}</td><td>{(p.LatestVersion == 0 ? "–" : $"<a href=\"/projects/{p.Project.Id}/versions\">v{p.LatestVersion}</a>")}</td><td>{p.Project.CreatedAt:yyyy-MM-dd HH:mm}</td></tr>");
            }

            sb.Append("</tbody></table>");
        }

        sb.Append(UploadForm.Render(null, []));
        return Page("Projects", [("Projects", null)], sb.ToString(), UploadForm.Script);
    }

    private static IResult ProjectPage(long id, ProjectService s)
    {
        var p = s.Get(id);
        if (p is null)
        {
            return NotFoundPage($"There is no project {id}.");
        }

        var meta = ProjectMetaJson.Parse(p.MetaJson);
        var counts = s.ClassCounts(id);
        var datasets = s.Datasets(id);
        var sb = new StringBuilder();
        sb.Append($"<h1>{H(p.Name)}</h1>");
        if (!string.IsNullOrEmpty(p.Description))
        {
            sb.Append($"<p>{H(p.Description)}</p>");
        }

        sb.Append($"<p class=\"actions\"><a class=\"button\" href=\"/projects/{id}/items\">Browse and search items</a> <a class=\"button\" href=\"/projects/{id}/versions\">Versions</a> <a class=\"button\" href=\"/graph?project={id}\">Workflow graph</a> <a class=\"button\" href=\"/projects/{id}/operations\">Run operation</a></p>");
        sb.Append($"<div class=\"cards\"><div class=\"card\"><div class=\"num\">{datasets.Sum(d => d.Items)}</div><div>images</div></div><div class=\"card\"><div class=\"num\">{counts.Values.Sum(c => c.Labels)}</div><div>labels</div></div><div class=\"card\"><div class=\"num\">{meta.Classes.Count}</div><div>classes</div></div><div class=\"card\"><div class=\"num\">{datasets.Count}</div><div>datasets</div></div></div>");
        sb.Append("<div class=\"cols\"><section><h2>Classes</h2><table class=\"grid\" id=\"classes\"><thead><tr><th>Class</th><th>Shape</th><th>Labels</th><th>Images</th></tr></thead><tbody>");
        foreach (var c in meta.Classes)
        {
            var n = counts.GetValueOrDefault(c.Name);
            sb.Append($"<tr><td>{Swatch(c.Color)}{H(c.Name)}</td><td>{ProjectMetaJson.ShapeName(c.Shape)}</td><td>{n.Labels}</td><td>{n.Images}</td></tr>");
        }

        sb.Append("</tbody></table>");
        if (meta.Tags.Count > 0)
        {
            sb.Append("<h2>Tags</h2><ul class=\"tags\">");
            foreach (var t in meta.Tags)
            {
                sb.Append($"<li><span class=\"tag\">{H(t.Name)}</span> <span class=\"muted\">{t.ValueType}</span></li>");
            }

            sb.Append("</ul>");
        }

        sb.Append("</section><section><h2>Datasets</h2><table class=\"grid\" id=\"datasets\"><thead><tr><th>Dataset</th><th>Items</th></tr></thead><tbody>");
        foreach (var d in datasets)
        {
            sb.Append($"<tr><td><a href=\"/projects/{id}/datasets/{d.Id}\">{H(d.Path)}</a></td><td>{d.Items}</td></tr>");
        }

        sb.Append("</tbody></table></section></div>");
        sb.Append(UploadForm.Render(p.Name, datasets.Select(d => d.Path)));
        return Page(p.Name, [("Projects", "/projects"), (p.Name, null)], sb.ToString(), UploadForm.Script);
    }

    private static IResult DatasetPage(long id, long datasetId, HttpRequest request, ProjectService s)
    {
        var p = s.Get(id);
        var d = s.Dataset(datasetId);
        if (p is null || d is null || d.ProjectId != id)
        {
            return NotFoundPage($"There is no dataset {datasetId} in project {id}.");
        }

        return GalleryPage(p, d, request, s);
    }

    private static IResult ItemsPage(long id, HttpRequest request, ProjectService s)
    {
        var p = s.Get(id);
        return p is null ? NotFoundPage($"There is no project {id}.") : GalleryPage(p, null, request, s);
    }

    // The project's gallery, or one dataset's (the dataset fixed by the address instead of the form).
    private static IResult GalleryPage(ProjectRow p, DatasetRow? dataset, HttpRequest request, ProjectService s)
    {
        var meta = ProjectMetaJson.Parse(p.MetaJson);
        var datasets = s.Datasets(p.Id);
        var (query, problem) = ProjectEndpoints.ReadItemQuery(request.Query, p, s, strict: false);
        var badPage = ItemQueryReader.Count(request.Query, "page", out var page);
        problem ??= badPage;
        var current = Math.Max(1, page ?? 1);
        var matches = problem is null
            ? s.FindItems(p.Id, dataset is null ? query! : query! with { DatasetId = dataset.Id }, (current - 1) * Gallery.PageSize, Gallery.PageSize)
            : new ItemMatches(0, []);
        var thumbs = matches.Items.Select(i => new Gallery.Thumb($"/items/{i.Id}", $"/api/v1/items/{i.Id}/thumb", i.Name, i.LabelCount, AnnotationJson.Parse(i.AnnotationJson))).ToList();
        var choices = new Gallery.Choices(meta.Classes, [.. meta.Tags.Select(t => t.Name)], dataset is null ? [.. datasets.Select(d => (d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Path))] : null);
        var action = dataset is null ? $"/projects/{p.Id}/items" : $"/projects/{p.Id}/datasets/{dataset.Id}";
        var title = dataset?.Path ?? $"{p.Name}: items";
        var body = $"<h1>{H(title)}</h1>" + Gallery.Render(action, request.Query, choices, problem?.Message, matches.Total, current, thumbs, meta);
        List<(string, string?)> crumbs = dataset is null
            ? [("Projects", "/projects"), (p.Name, $"/projects/{p.Id}"), ("Items", null)]
            : [("Projects", "/projects"), (p.Name, $"/projects/{p.Id}"), (dataset.Path, null)];
        return Page(title, crumbs, body, Gallery.Script, problem is null ? 200 : 400);
    }

    private static async Task<IResult> ItemPage(long id, string? edit, ProjectService s, HttpContext http, IAuthorizationService authorization)
    {
        var item = s.Item(id);
        if (item is null)
        {
            return NotFoundPage($"There is no item {id}.");
        }

        var p = s.Get(item.ProjectId)!;
        var d = s.Dataset(item.DatasetId)!;
        var meta = ProjectMetaJson.Parse(p.MetaJson);
        var ann = AnnotationJson.Parse(item.AnnotationJson);
        // Only a user who may write gets the editor: a viewer's page has no control that the API would refuse.
        var canEdit = (await authorization.AuthorizeAsync(http.User, CairnPolicies.Edit)).Succeeded;
        var (previous, next) = s.Neighbours(item);
        var open = (edit is "true" or "1") && canEdit;
        // An editor opened at once leaves out the read view (closing it reloads the page): a 1,000-label item's SVG
        // would be built, sent and parsed for nothing.
        var body = ItemEditor.Render(item, p.Id, canEdit, open, previous?.Id, next?.Id)
            + (open ? string.Empty : "<div id=\"item-view\">" + ItemView.Render(ann, meta, $"/api/v1/items/{id}/image", item.Name, $"/api/v1/items/{id}") + "</div>")
            + (item.EditedBy is { } editor ? $"<p class=\"muted\" id=\"edited-by\">Labels last edited by {H(editor)}.</p>" : string.Empty);
        var scripts = "<script src=\"/static/item.js\"></script>" + (canEdit ? "<script src=\"/static/vendor/konva.min.js\"></script><script src=\"/static/editor.js\"></script>" : string.Empty);
        return Page(item.Name, [("Projects", "/projects"), (p.Name, $"/projects/{p.Id}"), (d.Path, $"/projects/{p.Id}/datasets/{d.Id}"), (item.Name, null)], body, scripts);
    }
}
