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
    // Graphviz is an ES module (WebAssembly inside): a module script loads it and announces it; graph.js waits for
    // that. When it cannot load, the same script loads dagre (a classic script) and announces null: graph.js then lays
    // out with dagre. dagre is not loaded otherwise, so it costs the page nothing.
    private const string GraphScripts =
        "<script src=\"/static/graph-layout.js\"></script>" +
        "<script type=\"module\">try { const { Graphviz } = await import('/static/vendor/graphviz.js'); const gv = await Graphviz.load(); " +
        // One small layout while the graph JSON is still on its way: compiles dot's code paths before the real one.
        "gv.layout('digraph{rankdir=LR;node[shape=box,fixedsize=true,label=\"\"];a->b;a->c;b->d;c->d;x->d}', 'json0', 'dot'); window.cairnGraphviz = gv; } " +
        "catch (e) { console.warn('graphviz did not load; laying out with dagre', e); " +
        "await new Promise((ok, fail) => { const s = document.createElement('script'); s.src = '/static/vendor/dagre.min.js'; s.onload = ok; s.onerror = fail; document.head.append(s); }); " +
        "window.cairnGraphviz = null; } window.dispatchEvent(new Event('cairn-graphviz'));</script>" +
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
        sb.Append($"<form class=\"inline\" method=\"get\">{(project is null ? string.Empty : $"<input type=\"hidden\" name=\"project\" value=\"{project}\">")}{(task is null ? string.Empty : $"<input type=\"hidden\" name=\"task\" value=\"{task}\">")}{(focus is null ? string.Empty : $"<input type=\"hidden\" name=\"focus\" value=\"{H(focus)}\">")} depth <input name=\"depth\" type=\"number\" min=\"1\" style=\"width:4em\" value=\"{depth}\"> <button class=\"secondary\">Apply</button></form>");
        sb.Append(" <span class=\"muted\" id=\"graph-info\"></span></div>");
        sb.Append("<div class=\"graph-wrap\"><svg id=\"graph-svg\" xmlns=\"http://www.w3.org/2000/svg\"><defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#8a94a6\"/></marker></defs><g id=\"viewport\"></g></svg><aside id=\"node-panel\"><p class=\"muted\">Hover a node for its details.</p></aside></div>");
        sb.Append("<p class=\"muted\">Click a node to open its page (folders expand); hover for details; Alt+click to select only; drag to pan; wheel to zoom.</p>");
        return Page("Workflow graph", [("Workflow", null)], sb.ToString(), GraphScripts);
    }
}
