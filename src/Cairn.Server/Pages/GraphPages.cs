using Cairn.Server.Accounts;
using System.Text;
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

    private static IResult GraphPage(long? project, long? task, string? focus, int? depth, HttpRequest request)
    {
        var scope = project is { } p ? $"project {p}" : task is { } t ? $"task {t}" : focus is not null ? $"around {focus}" : "whole workspace";
        var sb = new StringBuilder($"<h1>Workflow graph <span class=\"muted\">· {H(scope)}</span></h1>");
        sb.Append("<div class=\"graph-tools\"><span id=\"kind-filter\">");
        foreach (var k in NodeKinds.All)
        {
            sb.Append($"<label><input type=\"checkbox\" value=\"{k}\" checked> {k}</label> ");
        }

        sb.Append("</span><input id=\"search\" type=\"search\" placeholder=\"Search nodes\"> <button id=\"fit\" class=\"secondary\">Fit</button>");
        sb.Append($"<form class=\"inline\" method=\"get\">{(project is null ? string.Empty : $"<input type=\"hidden\" name=\"project\" value=\"{project}\">")}{(task is null ? string.Empty : $"<input type=\"hidden\" name=\"task\" value=\"{task}\">")}{(focus is null ? string.Empty : $"<input type=\"hidden\" name=\"focus\" value=\"{H(focus)}\">")} depth <input name=\"depth\" type=\"number\" min=\"1\" class=\"depth\" value=\"{depth}\"> <button class=\"secondary\">Apply</button></form>");
        sb.Append(" <span class=\"muted\" id=\"graph-info\"></span></div>");
        sb.Append("<div class=\"graph-wrap\"><svg id=\"graph-svg\" xmlns=\"http://www.w3.org/2000/svg\"><defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#8a94a6\"/></marker></defs><g id=\"viewport\"></g></svg><aside id=\"node-panel\"><p class=\"muted\">Hover a node for its details.</p></aside></div>");
        sb.Append("<p class=\"muted\">Click a node to open its page (folders expand); hover for details; Alt+click to select only; drag to pan; wheel to zoom.</p>");
        // Graphviz compiles WebAssembly: this page alone allows that (and still no eval, no inline script).
        SecurityHeaders.SetPolicy(request.HttpContext.Response, SecurityHeaders.GraphPagePolicy);
        return Page("Workflow graph", [("Workflow", null)], sb.ToString(), GraphScripts);
    }
}
