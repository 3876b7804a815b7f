using Cairn.Core.Ids;
using Cairn.Operations.Augment;
using Cairn.Operations.Imaging;
using Cairn.Server.Accounts;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cairn.Server.Endpoints;

/// <summary>
/// The augment form's live preview: one item of a project through a pipeline, as a PNG. It reads and writes nothing of
/// the store (read policy); the same pipeline, seed, item and index give the same picture as the task's output.
/// </summary>
public static class AugmentPreviewEndpoints
{
    /// <summary>
    /// The longest pipeline document the preview takes: it travels in the query string, and three times this (every
    /// character percent-encoded) stays under the server's 8 KiB request line. A form's pipeline of ten steps is about 600.
    /// </summary>
    public const int MaxPipelineChars = 2500;

    /// <summary>Maps GET /projects/{id}/augment-preview.</summary>
    public static RouteGroupBuilder MapAugmentPreview(this RouteGroupBuilder api)
    {
        api.MapGet("/projects/{id:long}/augment-preview", Preview)
            .WithTags("Projects")
            .WithSummary("One item of the project through an augment pipeline, as PNG: ?pipeline=JSON, optional ?item=ID (default the first item), ?seed=N (replaces the pipeline's seed), ?index=N (which output)")
            .RequireAuthorization(CairnPolicies.Read);
        return api;
    }

    private static async Task<IResult> Preview(long id, string? pipeline, long? item, ulong? seed, int? index, ProjectService projects, CairnStore store, HttpContext http)
    {
        if (projects.Get(id) is null)
        {
            return ProjectEndpoints.NotFound($"project {id}");
        }

        if (string.IsNullOrWhiteSpace(pipeline) || pipeline.Length > MaxPipelineChars)
        {
            return Bad($"query 'pipeline': expected a pipeline document of at most {MaxPipelineChars} characters (docs/operations.md)");
        }

        if (index is < 0 or > 999)
        {
            return Bad($"query 'index': expected an output index from 0 to 999, got {index}");
        }

        var row = item is { } itemId ? projects.Item(itemId) : projects.Items(id, take: 1).FirstOrDefault();
        if (row is null || row.ProjectId != id)
        {
            return item is null ? Bad($"project {id} has no items to preview") : ProjectEndpoints.NotFound($"item {item} of project {id}");
        }

        AugmentPipeline parsed;
        try
        {
            parsed = AugmentPipeline.FromJson(pipeline, "query 'pipeline'");
            if (seed is { } s)
            {
                parsed = new AugmentPipeline(parsed.Spec with { Seed = s });
            }
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return Bad(e.Message);
        }

        var bytes = await store.Objects.GetAsync(ContentId.FromBytes(row.ImageId), http.RequestAborted);
        using var source = ImageCodec.Decode(bytes, row.Name);
        var annotation = Core.Serialization.AnnotationJson.Parse(row.AnnotationJson);
        // The task keys each item "dataset/name"; the same key gives the preview the task's random draws.
        var dataset = projects.Dataset(row.DatasetId)?.Path ?? string.Empty;
        var (image, _) = parsed.Apply(source, annotation, dataset + "/" + row.Name, index ?? 0);
        using (image)
        {
            var png = ImageCodec.Encode(image, ImageFormat.Png);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Bytes(png, "image/png");
        }
    }

    private static IResult Bad(string detail) => TypedResults.Problem(title: "Invalid preview request", detail: detail, statusCode: 400);
}
