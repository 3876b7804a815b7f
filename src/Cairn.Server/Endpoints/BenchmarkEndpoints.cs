using Cairn.Server.Accounts;
using System.Text.Json;
using Cairn.Core.Ids;
using Cairn.Evaluation.Comparison;
using Cairn.Evaluation.Reports;
using Cairn.Operations.Benchmarks;
using Cairn.Operations.Files;
using Cairn.Operations.Models;
using Cairn.Storage;
using Cairn.Storage.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cairn.Server.Endpoints;

/// <summary>A registered model as the API shows it.</summary>
public sealed record ModelDto(long Id, string Name, string? Description, string Layout, int InputSize, IReadOnlyList<string> Classes, long Size, string FileId, long? TaskId, DateTime CreatedAt, JsonElement Info);

/// <summary>An evaluation as the API shows it.</summary>
public sealed record EvaluationDto(long Id, string Title, string IouType, double Map, double Map50, long? ModelId, long? VersionId, long? TaskId, string GroundTruthFingerprint, long? ReportFileId, DateTime CreatedAt, string ReportUrl);

/// <summary>REST endpoints for models and evaluations (benchmarks).</summary>
public static partial class BenchmarkEndpoints
{
    /// <summary>
    /// Whether the request is a browser's form navigation (it accepts HTML), which gets a page; an API client (fetch's
    /// <c>*/*</c>, curl, the .NET client) gets JSON.
    /// </summary>
    internal static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    /// <summary>Maps /models and /evaluations.</summary>
    public static RouteGroupBuilder MapBenchmarks(this RouteGroupBuilder api)
    {
        var models = api.MapGroup("/models").WithTags("Models").RequireAuthorization(CairnPolicies.Read);
        models.MapGet("/", (ModelRegistry registry) => TypedResults.Ok(registry.List().Select(ToDto).ToList())).WithSummary("List registered models");
        models.MapGet("/{id:long}", Results<Ok<ModelDto>, ProblemHttpResult> (long id, ModelRegistry registry) =>
            registry.Get(id) is { } m ? TypedResults.Ok(ToDto(m)) : ProjectEndpoints.NotFound($"model {id}")).WithSummary("A model");
        models.MapPost("/", async Task<Results<Created<ModelDto>, RedirectHttpResult, ProblemHttpResult, Pages.PageResult>> (HttpRequest request, CairnStore store, ModelRegistry registry) =>
        {
            // The models page's form posts here: a browser gets the model's page (or the form again with the error), never
            // raw JSON; every other client gets the JSON it asked for.
            var browser = WantsHtml(request);
            if (!request.HasFormContentType)
            {
                return TypedResults.Problem(title: "Expected a form upload", detail: "POST multipart/form-data with fields: file (the .onnx), name, classes (comma-separated, optional), inputSize (optional).", statusCode: 400);
            }

            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            var file = form.Files["file"];
            var name = form["name"].ToString();
            if (file is null || string.IsNullOrWhiteSpace(name))
            {
                if (browser)
                {
                    return Pages.BenchmarkPages.ModelsPageWithError(registry, "The form needs a file (an .onnx model) and a name.");
                }

                return TypedResults.Problem(title: "Missing field", detail: "The form needs 'file' (an .onnx model) and 'name'.", statusCode: 400);
            }

            var tmp = Path.Combine(store.Home, "tmp", Guid.NewGuid().ToString("N") + ".onnx");
            Directory.CreateDirectory(Path.GetDirectoryName(tmp)!);
            try
            {
                await using (var fs = File.Create(tmp))
                {
                    await file.CopyToAsync(fs, request.HttpContext.RequestAborted);
                }

                var classes = form["classes"].ToString() is { Length: > 0 } c ? c.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null;
                int? size = int.TryParse(form["inputSize"], out var s) ? s : null;
                var model = registry.Add(tmp, name, classes, size);
                return browser ? TypedResults.Redirect($"/models/{model.Id}") : TypedResults.Created($"/api/v1/models/{model.Id}", ToDto(model));
            }
            catch (Exception e) when (e is ModelRegistryException or Inference.ModelFormatException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                return browser
                    ? Pages.BenchmarkPages.ModelsPageWithError(registry, $"{file.FileName}: {e.Message}")
                    : TypedResults.Problem(title: "Model refused", detail: $"{file.FileName}: {e.Message}", statusCode: 400);
            }
            finally
            {
                File.Delete(tmp);
            }
        }).WithSummary("Register an ONNX model (multipart upload)").RequireAuthorization(CairnPolicies.Edit);

        var evals = api.MapGroup("/evaluations").WithTags("Evaluations").RequireAuthorization(CairnPolicies.Read);
        evals.MapGet("/", (EvaluationService evaluations, long? model, long? version) =>
            TypedResults.Ok(evaluations.List(model, version).Select(ToDto).ToList())).WithSummary("List evaluations");
        evals.MapGet("/{id:long}", Results<Ok<EvaluationDto>, ProblemHttpResult> (long id, EvaluationService evaluations) =>
            evaluations.Get(id) is { } e ? TypedResults.Ok(ToDto(e)) : ProjectEndpoints.NotFound($"evaluation {id}")).WithSummary("An evaluation");
        evals.MapGet("/{id:long}/metrics", (long id, EvaluationService evaluations) =>
            evaluations.Get(id) is { } e ? Results.Text(e.MetricsJson, "application/json") : ProjectEndpoints.NotFound($"evaluation {id}")).WithSummary("The evaluation's metrics.json");
        evals.MapGet("/{id:long}/matches", (long id, EvaluationService evaluations, BenchmarkMatchesReader matches) =>
            evaluations.Get(id) is null ? ProjectEndpoints.NotFound($"evaluation {id}")
            : matches.Read(id) is { } m ? Results.Bytes(m.ToUtf8(), "application/json")
            : ProjectEndpoints.NotFound($"per-image matches of evaluation {id} (benchmarks stored them from format version 1 on: run it again)"))
            .WithSummary("Per image: ground truths and detections with their outcome (tp, fp, fn, ignored) at the report's IoU and confidence thresholds");
        evals.MapGet("/{id:long}/report", (long id, EvaluationService evaluations, FileService files, HttpContext http) =>
        {
            SecurityHeaders.SetPolicy(http.Response, SecurityHeaders.ReportPolicy);
            var e = evaluations.Get(id);
            if (e?.ReportFileId is not { } fileId)
            {
                return (IResult)ProjectEndpoints.NotFound($"report of evaluation {id}");
            }

            return Results.Bytes(files.Read(files.Get(fileId)!), "text/html; charset=utf-8");
        }).WithSummary("The evaluation's HTML report");
        evals.MapGet("/compare", (string ids, EvaluationService evaluations, FileService files, HttpContext http) =>
        {
            SecurityHeaders.SetPolicy(http.Response, SecurityHeaders.ReportPolicy);
            var (comparison, problem) = Compare(evaluations, ids);
            return comparison is null
                ? (IResult)TypedResults.Problem(title: "Cannot compare", detail: problem, statusCode: 400)
                : Results.Content(ComparisonWriter.RenderHtml(comparison, Speeds(evaluations, files, ids)), "text/html; charset=utf-8");
        }).WithSummary("Side-by-side comparison report of evaluations (ids comma-separated); refuses different ground truth");
        return api;
    }

    /// <summary>Builds a comparison of evaluations given as "1,2,3".</summary>
    public static (EvaluationComparison? Comparison, string Problem) Compare(EvaluationService evaluations, string ids)
    {
        var list = new List<EvaluationMetrics>();
        foreach (var part in ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part, out var id) || evaluations.Get(id) is not { } e)
            {
                return (null, $"'{part}' is not an evaluation id");
            }

            list.Add(EvaluationService.Metrics(e));
        }

        if (list.Count < 2)
        {
            return (null, "name at least two evaluations");
        }

        var c = EvaluationComparison.TryCreate(list, out var problem);
        return (c, problem);
    }

    // Each evaluation's speed test, from the speed.json its benchmark task stored beside the report (null where it ran none);
    // a second benchmark into the same folder stored "speed (2).json".
    private static List<SpeedReport?> Speeds(EvaluationService evaluations, FileService files, string ids) =>
    [
        .. ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => evaluations.Get(long.Parse(part, System.Globalization.CultureInfo.InvariantCulture)))
            .Select(e => e?.TaskId is { } task && files.List(taskId: task).FirstOrDefault(f => SpeedFile().IsMatch(f.Path)) is { } f
                ? BenchmarkRunner.ReadSpeedReport(files.Read(f))
                : null),
    ];

    [System.Text.RegularExpressions.GeneratedRegex(@"/speed(?: \(\d+\))?\.json$")]
    private static partial System.Text.RegularExpressions.Regex SpeedFile();

    internal static ModelDto ToDto(ModelRow m)
    {
        using var info = JsonDocument.Parse(m.InfoJson);
        return new ModelDto(m.Id, m.Name, m.Description, m.Layout, m.InputSize, ModelRegistry.Classes(m), m.FileSize, ContentId.FromBytes(m.FileId).ToString(), m.TaskId, m.CreatedAt, info.RootElement.Clone());
    }

    internal static EvaluationDto ToDto(EvaluationRow e) =>
        new(e.Id, e.Title, e.IouType, e.MapAll, e.Map50, e.ModelId, e.VersionId, e.TaskId, e.GroundTruthFingerprint, e.ReportFileId, e.CreatedAt, $"/api/v1/evaluations/{e.Id}/report");
}
