using Cairn.Server.Accounts;
using System.Globalization;
using System.Text;
using Cairn.Storage.Projects;
using Cairn.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Cairn.Server.Pages.Html;
using Cairn.Storage.Tasks;

namespace Cairn.Server.Pages;

/// <summary>The workflow graph page (layout and drawing happen in the browser with the vendored dagre).</summary>
public static class GraphPages
{
    // graph-boot.js (a module) loads Graphviz, or dagre when it cannot; graph.js waits for its announcement.
    private const string GraphScripts =
        "<script src=\"/static/graph-layout.js\"></script>" +
        "<script type=\"module\" src=\"/static/graph-boot.js\"></script>" +
        "<script src=\"/static/graph.js\"></script>";

    /// <summary>Maps /graph.</summary>
    public static IEndpointRouteBuilder MapGraphPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/graph", GraphPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        return app;
    }

    private static IResult GraphPage(long? project, long? task, string? focus, int? depth, HttpRequest request, ProjectService projects, TaskService tasks)
    {
        var scope = Scope(project, task, focus, projects, tasks);
        var sb = new StringBuilder($"<h1 id=\"graph-title\">Workflow graph <span class=\"muted\">· {H(scope)}</span></h1>");
        sb.Append("<div class=\"graph-tools\"><span id=\"kind-filter\">");
        foreach (var k in NodeKinds.All)
        {
            sb.Append($"<label><input type=\"checkbox\" value=\"{k}\" checked> {k}</label> ");
        }

        sb.Append("</span><input id=\"search\" type=\"search\" placeholder=\"Search nodes\"> <button id=\"fit\" class=\"secondary\">Fit</button>");
        sb.Append($"<form class=\"inline\" method=\"get\">{(project is null ? string.Empty : $"<input type=\"hidden\" name=\"project\" value=\"{project}\">")}{(task is null ? string.Empty : $"<input type=\"hidden\" name=\"task\" value=\"{task}\">")}{(focus is null ? string.Empty : $"<input type=\"hidden\" name=\"focus\" value=\"{H(focus)}\">")} depth <input name=\"depth\" type=\"number\" min=\"1\" class=\"depth\" value=\"{depth}\"> <button class=\"secondary\">Apply</button></form>");
        sb.Append(" <span class=\"muted\" id=\"graph-info\"></span></div>");
        sb.Append("<div class=\"graph-wrap\"><div id=\"graph-scroll\" class=\"graph-scroll\"><svg id=\"graph-svg\" xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" height=\"100%\"><defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#8a94a6\"/></marker></defs><g id=\"viewport\"></g></svg></div><aside id=\"node-panel\"><p class=\"muted\">Hover a node for its details.</p></aside></div>");
        sb.Append("<p class=\"muted\">Click a node to open its page (folders expand); hover for details (the ✎ on a card, or Edit description in the panel, edits it); Alt+click to select only; drag or scroll to pan; wheel to zoom.</p>");
        // Graphviz compiles WebAssembly: this page alone allows that (and still no eval, no inline script).
        SecurityHeaders.SetPolicy(request.HttpContext.Response, SecurityHeaders.GraphPagePolicy);
        return Page(scope == "whole workspace" ? "Workflow graph" : $"Workflow graph · {scope}", [("Workflow", null)], sb.ToString(), GraphScripts);
    }

    // The header names what the graph is about: a project or task by its name or title, not its id.
    private static string Scope(long? project, long? task, string? focus, ProjectService projects, TaskService tasks)
    {
        if (project is { } p)
        {
            return projects.Get(p) is { } row ? $"project {row.Name}" : $"project {p} (not found)";
        }

        if (task is { } t)
        {
            return tasks.Records.Get(t) is { } row ? $"task {row.Title}" : $"task {t} (not found)";
        }

        if (focus is null)
        {
            return "whole workspace";
        }

        var (kind, id) = focus.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 && long.TryParse(focus[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? (focus[..colon], n) : (focus, 0L);
        return kind switch
        {
            NodeKinds.Project when projects.Get(id) is { } row => $"around project {row.Name}",
            NodeKinds.Task when tasks.Records.Get(id) is { } row => $"around task {row.Title}",
            _ => $"around {focus}",
        };
    }
}
