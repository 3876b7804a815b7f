using Cairn.Server.Accounts;
using System.Globalization;
using System.Text;
using Cairn.Operations.Benchmarks;
using Cairn.Operations.Models;
using Cairn.Server.Endpoints;
using Cairn.Storage;
using Cairn.Storage.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Cairn.Server.Pages.Html;

namespace Cairn.Server.Pages;

/// <summary>Models list and page, benchmarks list, benchmark page (the report), comparison page.</summary>
public static class BenchmarkPages
{
    /// <summary>Maps the pages.</summary>
    public static IEndpointRouteBuilder MapBenchmarkPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/models", ModelsPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/models/{id:long}", ModelPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/evaluations", EvaluationsPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/evaluations/{id:long}", EvaluationPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/evaluations/compare", ComparePage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        return app;
    }

    private static string F(double v) => v < 0 ? "–" : v.ToString("0.000", CultureInfo.InvariantCulture);

    private static IResult ModelsPage(ModelRegistry registry) => ModelsPageWithError(registry, null);

    /// <summary>The models page; with <paramref name="error"/> (a refused registration) shown above the form, status 400.</summary>
    internal static PageResult ModelsPageWithError(ModelRegistry registry, string? error)
    {
        var models = registry.List();
        var sb = new StringBuilder("<h1>Models</h1>");
        if (error is not null)
        {
            sb.Append($"<p class=\"removed\" id=\"model-error\" role=\"alert\">Model refused: {H(error)}</p>");
        }

        sb.Append("<p class=\"muted\">Register one with <code>./cairn model add model.onnx --name NAME</code>, or upload:</p>");
        sb.Append("<form id=\"model-upload\" method=\"post\" enctype=\"multipart/form-data\" action=\"/api/v1/models\" class=\"inline\"><input type=\"file\" name=\"file\" accept=\".onnx\" required> <input name=\"name\" placeholder=\"name\" required> <input name=\"classes\" placeholder=\"classes (a,b,c)\"> <button>Register</button></form>");
        if (models.Count == 0)
        {
            sb.Append("<p class=\"empty\">No models yet.</p>");
        }
        else
        {
            sb.Append("<table class=\"grid\" id=\"models\"><thead><tr><th>Name</th><th>Layout</th><th>Input</th><th>Classes</th><th>Size</th><th>Produced by</th></tr></thead><tbody>");
            foreach (var m in models)
            {
                sb.Append($"<tr><td><a href=\"/models/{m.Id}\">{H(m.Name)}</a></td><td>{H(m.Layout)}</td><td>{m.InputSize}</td><td>{H(string.Join(", ", ModelRegistry.Classes(m)))}</td><td>{Bytes(m.FileSize)}</td><td>{(m.TaskId is { } t ? $"<a href=\"/tasks/{t}\">task {t}</a>" : "registered by hand")}</td></tr>");
            }

            sb.Append("</tbody></table>");
        }

        return (PageResult)Page("Models", [("Models", null)], sb.ToString(), statusCode: error is null ? 200 : 400);
    }

    private static IResult ModelPage(long id, ModelRegistry registry, EvaluationService evaluations)
    {
        var m = registry.Get(id);
        if (m is null)
        {
            return NotFoundPage($"There is no model {id}.");
        }

        var evals = evaluations.List(modelId: id);
        var sb = new StringBuilder($"<h1>{H(m.Name)}</h1>");
        sb.Append($"<div class=\"cards\"><div class=\"card\"><div class=\"num\">{H(m.Layout)}</div><div>output layout</div></div><div class=\"card\"><div class=\"num\">{m.InputSize}</div><div>input size</div></div><div class=\"card\"><div class=\"num\">{ModelRegistry.Classes(m).Count}</div><div>classes</div></div><div class=\"card\"><div class=\"num\">{Bytes(m.FileSize)}</div><div>file</div></div></div>");
        sb.Append($"<p>Classes: {string.Join(" ", ModelRegistry.Classes(m).Select(c => $"<span class=\"tag\">{H(c)}</span>"))}</p>");
        sb.Append($"<p>Produced by: {(m.TaskId is { } t ? $"<a href=\"/tasks/{t}\">task {t}</a>" : "registered by hand")} · <a href=\"/graph?model={m.Id}\">workflow graph</a></p>");
        sb.Append("<h2>Benchmarks</h2>");
        sb.Append(EvaluationTable(evaluations, evals));
        sb.Append($"<details><summary>Model details (JSON)</summary><pre class=\"log\">{H(m.InfoJson)}</pre></details>");
        return Page(m.Name, [("Models", "/models"), (m.Name, null)], sb.ToString());
    }

    private static string EvaluationTable(EvaluationService evaluations, IReadOnlyList<EvaluationRow> evals)
    {
        if (evals.Count == 0)
        {
            return "<p class=\"empty\">No benchmarks yet. Run one with <code>./cairn benchmark run MODEL PROJECT@N</code>.</p>";
        }

        var modelNames = evaluations.ModelNames();
        var versions = evaluations.Versions();
        var sb = new StringBuilder();
        foreach (var group in evals.GroupBy(e => e.GroundTruthFingerprint))
        {
            var first = group.First();
            var gt = first.VersionId is { } vid && versions.TryGetValue(vid, out var v) ? $"<a href=\"/projects/{v.ProjectId}/versions\">{H(v.ProjectName)}@{v.Number}</a>" : "ground truth " + H(group.Key[..Math.Min(12, group.Key.Length)]);
            sb.Append($"<h3>On {gt}</h3>");
            if (group.Count() > 1)
            {
                sb.Append($"<p><a class=\"button compare\" href=\"/evaluations/compare?ids={string.Join(",", group.Select(e => e.Id))}\">Compare these {group.Count()}</a></p>");
            }

            sb.Append("<table class=\"grid evaluations\"><thead><tr><th>Benchmark</th><th>Model</th><th>Type</th><th class=\"num\">mAP@[.5:.95]</th><th class=\"num\">mAP@0.5</th><th>When</th></tr></thead><tbody>");
            foreach (var e in group)
            {
                var model = e.ModelId is { } mid && modelNames.TryGetValue(mid, out var mn) ? $"<a href=\"/models/{mid}\">{H(mn)}</a>" : "–";
                sb.Append($"<tr><td><a href=\"/evaluations/{e.Id}\">{H(e.Title)}</a></td><td>{model}</td><td>{H(e.IouType)}</td><td class=\"num\">{F(e.MapAll)}</td><td class=\"num\">{F(e.Map50)}</td><td>{e.CreatedAt:yyyy-MM-dd HH:mm}</td></tr>");
            }

            sb.Append("</tbody></table>");
        }

        return sb.ToString();
    }

    private static IResult EvaluationsPage(EvaluationService evaluations) =>
        Page("Benchmarks", [("Benchmarks", null)], "<h1>Benchmarks</h1>" + EvaluationTable(evaluations, evaluations.List()));

    private static IResult EvaluationPage(long id, EvaluationService evaluations, ModelRegistry registry, BenchmarkMatchesReader matches, Storage.Projects.ProjectService projects)
    {
        var e = evaluations.Get(id);
        if (e is null)
        {
            return NotFoundPage($"There is no evaluation {id}.");
        }

        var model = e.ModelId is { } mid ? registry.Get(mid) : null;
        var others = evaluations.SameGroundTruth(e);
        var sb = new StringBuilder($"<h1>{H(e.Title)}</h1>");
        sb.Append($"<p>{(model is null ? string.Empty : $"Model <a href=\"/models/{model.Id}\">{H(model.Name)}</a> · ")}{(e.TaskId is { } t ? $"<a href=\"/tasks/{t}\">task {t}</a> · " : string.Empty)}<a href=\"/api/v1/evaluations/{id}/metrics\">metrics.json</a> · <a href=\"/api/v1/evaluations/{id}/report\" target=\"_blank\">report in a new tab</a>");
        if (others.Count > 0)
        {
            sb.Append($" · <a class=\"button compare\" href=\"/evaluations/compare?ids={id},{string.Join(",", others)}\">Compare with {others.Count} other benchmark{(others.Count > 1 ? "s" : string.Empty)} on this ground truth</a>");
        }

        sb.Append("</p>");
        sb.Append(BenchmarkImagePages.ErrorsSection(e, matches, evaluations, projects));
        sb.Append($"<iframe id=\"report\" class=\"report\" src=\"/api/v1/evaluations/{id}/report\" title=\"benchmark report\"></iframe>");
        return Page(e.Title, [("Benchmarks", "/evaluations"), (e.Title, null)], sb.ToString());
    }

    private static IResult ComparePage(string? ids, EvaluationService evaluations)
    {
        if (string.IsNullOrEmpty(ids))
        {
            return NotFoundPage("Name the evaluations to compare: /evaluations/compare?ids=1,2");
        }

        var (comparison, problem) = BenchmarkEndpoints.Compare(evaluations, ids);
        var body = comparison is null
            ? $"<h1>Cannot compare</h1><p class=\"removed\">{H(problem)}</p>"
            : $"<h1>Comparison</h1><iframe id=\"report\" class=\"report\" src=\"/api/v1/evaluations/compare?ids={H(ids)}\" title=\"comparison report\"></iframe>";
        return Page("Comparison", [("Benchmarks", "/evaluations"), ("Comparison", null)], body);
    }
}
