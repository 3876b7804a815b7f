using Cairn.Server.Accounts;
using System.Text.Json;
using Cairn.Core.Ids;
using Cairn.Core.Imaging;
using Cairn.Core.Serialization;
using Cairn.Storage;
using Cairn.Storage.Catalog;
using Cairn.Storage.Objects;
using Cairn.Storage.Projects;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using SkiaSharp;

namespace Cairn.Server.Endpoints;

/// <summary>REST endpoints for projects, datasets and items.</summary>
public static class ProjectEndpoints
{
    /// <summary>Maps /projects and /items.</summary>
    public static RouteGroupBuilder MapProjects(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/projects").WithTags("Projects").RequireAuthorization(CairnPolicies.Read);
        g.MapGet("/", (ProjectService s) => TypedResults.Ok(s.List().Select(ToDto).ToList()))
            .WithSummary("List projects");
        g.MapGet("/{id:long}", Results<Ok<ProjectDetailDto>, ProblemHttpResult> (long id, ProjectService s) =>
        {
            var summary = s.List().FirstOrDefault(p => p.Project.Id == id);
            if (summary is null)
            {
                return NotFound($"project {id}");
            }

            var meta = ProjectMetaJson.Parse(summary.Project.MetaJson);
            var counts = s.ClassCounts(id);
            return TypedResults.Ok(new ProjectDetailDto(
                ToDto(summary),
                meta.Classes.Select(c => new ClassDto(c.Name, ProjectMetaJson.ShapeName(c.Shape), c.Color, counts.GetValueOrDefault(c.Name).Labels, counts.GetValueOrDefault(c.Name).Images)).ToList(),
                meta.Tags.Select(t => t.Name).ToList(),
                s.Datasets(id).Select(d => new DatasetDto(d.Id, d.Path, d.Items)).ToList()));
        }).WithSummary("Show a project with classes, tags and datasets");
        g.MapDelete("/{id:long}", async Task<Results<NoContent, ProblemHttpResult>> (long id, ProjectService s, HttpContext http) =>
        {
            var name = s.Get(id)?.Name;
            if (!s.Delete(id))
            {
                return NotFound($"project {id}");
            }

            await http.AuditAsync(AuditActions.Delete, $"project {id}", name);
            return TypedResults.NoContent();
        })
            .WithSummary("Delete a project's working state").RequireAuthorization(CairnPolicies.Admin);
        g.MapPost("/{id:long}/classes", Results<Created<ClassDto>, ProblemHttpResult> (long id, JsonElement body, ProjectService s) =>
        {
            var project = s.Get(id);
            if (project is null)
            {
                return NotFound($"project {id}");
            }

            var meta = ProjectMetaJson.Parse(project.MetaJson);
            if (ClassRequest.TryRead(body, meta, out var error) is not { } cls)
            {
                return TypedResults.Problem(
                    title: error!.Conflict ? "Class exists" : "Invalid class",
                    detail: $"{error.Field}: expected {error.Expected}. Nothing was changed.",
                    statusCode: error.Conflict ? 409 : 400,
                    extensions: new Dictionary<string, object?> { ["field"] = error.Field, ["expected"] = error.Expected });
            }

            s.UpdateMeta(id, meta with { Classes = [.. meta.Classes, cls] });
            return TypedResults.Created($"/api/v1/projects/{id}", new ClassDto(cls.Name, ProjectMetaJson.ShapeName(cls.Shape), cls.Color, 0, 0));
        }).WithSummary("Add a class to a project (the working state changes; the next version records it)").RequireAuthorization(CairnPolicies.Edit);
        g.MapGet("/{id:long}/items", Results<Ok<List<ItemDto>>, ProblemHttpResult> (long id, HttpContext http, ProjectService s) =>
        {
            var project = s.Get(id);
            if (project is null)
            {
                return NotFound($"project {id}");
            }

            var (query, problem) = ReadItemQuery(http.Request.Query, project, s, strict: true);
            if (problem is not null)
            {
                return ItemQueryReader.ToResult(problem);
            }

            var badSkip = ItemQueryReader.Count(http.Request.Query, "skip", out var skip);
            var badTake = ItemQueryReader.Count(http.Request.Query, "take", out var take);
            if ((badSkip ?? badTake) is { } bad)
            {
                return ItemQueryReader.ToResult(bad);
            }

            var found = s.FindItems(id, query!, skip ?? 0, Math.Clamp(take ?? 100, 1, 1000));
            http.Response.Headers["X-Total-Count"] = found.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Ok(found.Items.Select(ToDto).ToList());
        }).WithSummary("Page through a project's items, filtered by class, tag, name, dataset, label count and image size (X-Total-Count: how many match)");

        var items = api.MapGroup("/items").WithTags("Items").RequireAuthorization(CairnPolicies.Read);
        items.MapGet("/{id:long}", Results<Ok<ItemDetailDto>, ProblemHttpResult> (long id, ProjectService s) =>
        {
            var item = s.Item(id);
            if (item is null)
            {
                return NotFound($"item {id}");
            }

            using var doc = JsonDocument.Parse(item.AnnotationJson);
            return TypedResults.Ok(new ItemDetailDto(ToDto(item), doc.RootElement.Clone()));
        }).WithSummary("An item with its annotation");
        items.MapPut("/{id:long}/annotation", Results<NoContent, ProblemHttpResult> (long id, JsonElement body, ProjectService s, HttpContext http) =>
        {
            var item = s.Item(id);
            if (item is null)
            {
                return NotFound($"item {id}");
            }

            var meta = ProjectMetaJson.Parse(s.Get(item.ProjectId)!.MetaJson);
            if (AnnotationRequest.TryRead(body, meta, item.Width, item.Height, out var error) is not { } ann)
            {
                return TypedResults.Problem(
                    title: "Invalid annotation",
                    detail: $"{error!.Field}: expected {error.Expected}. Nothing was changed.",
                    statusCode: error.Unprocessable ? 422 : 400,
                    extensions: new Dictionary<string, object?> { ["field"] = error.Field, ["expected"] = error.Expected });
            }

            return s.UpdateAnnotation(id, ann, RequestUser.Author(http)) ? TypedResults.NoContent() : NotFound($"item {id}");
        }).WithSummary("Replace an item's annotation (the working state changes; versions do not)").RequireAuthorization(CairnPolicies.Edit);
        items.MapGet("/{id:long}/image", async (long id, bool? direct, ProjectService s, CairnStore store, HttpContext http) =>
        {
            var item = s.Item(id);
            if (item is null)
            {
                return (IResult)NotFound($"item {id}");
            }

            // Authorised already (the group's read policy): with presigning on, a loose image is fetched by the
            // browser straight from the bucket (302 to a short-lived signed GET; docs/s3.md). Packed images, every
            // image without presigning, and direct=false (the editor's fetch(), which the page's CSP keeps to this
            // origin and which would need CORS on the bucket) are read and verified here.
            var imageId = ContentId.FromBytes(item.ImageId);
            if (direct != false && store.Objects is S3ObjectStore { Presign: { } validFor } s3 && s3.PresignedUrl(imageId, validFor) is { } url)
            {
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Redirect(url.AbsoluteUri);
            }

            return await ServeObject(store, imageId, http);
        }).WithSummary("The item's image bytes (or, on an S3 store with presign on, a redirect to them in the bucket)");
        items.MapGet("/{id:long}/thumb", (long id, int? size, ProjectService s, CairnStore store, HttpContext http) =>
        {
            var item = s.Item(id);
            if (item is null)
            {
                return (IResult)NotFound($"item {id}");
            }

            // Made before the caching headers are set: an image refused by the decoder is a problem, not a cached answer.
            var imageId = ContentId.FromBytes(item.ImageId);
            var thumb = Thumbnail(store.Objects.Get(imageId), $"item {id}", Math.Clamp(size ?? 256, 32, 1024));
            http.Response.Headers.ETag = $"\"{imageId}-t\"";
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            SecurityHeaders.UserContent(http.Response, "image/jpeg");
            return Results.Bytes(thumb, "image/jpeg");
        }).WithSummary("A JPEG thumbnail of the item's image");
        return api;
    }

    /// <summary>Streams an object from the store with immutable caching; corrupt objects are never served.</summary>
    public static async Task<IResult> ServeObject(CairnStore store, ContentId id, HttpContext http)
    {
        if (http.Request.Headers.IfNoneMatch == $"\"{id}\"")
        {
            return Results.StatusCode(304);
        }

        // A corrupt or missing object becomes CairnExceptionHandler's problem document.
        var bytes = await store.Objects.GetAsync(id, http.RequestAborted);
        http.Response.Headers.ETag = $"\"{id}\"";
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        var type = SniffType(bytes);
        SecurityHeaders.UserContent(http.Response, type);
        return Results.Bytes(bytes, type);
    }

    /// <summary>A content type from the first bytes of an image.</summary>
    public static string SniffType(ReadOnlySpan<byte> b) =>
        b.Length > 3 && b[0] == 0xFF && b[1] == 0xD8 ? "image/jpeg"
        : b.Length > 8 && b[0] == 0x89 && b[1] == (byte)'P' ? "image/png"
        : b.Length > 12 && b[8] == (byte)'W' && b[9] == (byte)'E' ? "image/webp"
        : b.Length > 2 && b[0] == (byte)'B' && b[1] == (byte)'M' ? "image/bmp"
        : "application/octet-stream";

    private static byte[] Thumbnail(byte[] image, string name, int size)
    {
        using var encoded = SKData.CreateCopy(image);
        using var codec = ImageDecoder.Open(encoded, name);
        var info = codec.Info;
        var scale = Math.Min(1.0, size / (double)Math.Max(info.Width, info.Height));
        // Let the JPEG decoder downscale (1/2, 1/4, 1/8) before resampling: far cheaper than a full decode.
        var supported = codec.GetScaledDimensions((float)scale);
        using var bmp = new SKBitmap(new SKImageInfo(supported.Width, supported.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        codec.GetPixels(bmp.Info, bmp.GetPixels());
        var tw = Math.Max(1, (int)Math.Round(info.Width * scale));
        var th = Math.Max(1, (int)Math.Round(info.Height * scale));
        using var resized = bmp.Width == tw && bmp.Height == th ? bmp.Copy() : bmp.Resize(new SKImageInfo(tw, th), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        using var img = SKImage.FromBitmap(resized);
        using var data = img.Encode(SKEncodedImageFormat.Jpeg, 82);
        return data.ToArray();
    }

    /// <summary>Reads a working-state item search for a project (classes from its meta, datasets by id).</summary>
    internal static (ItemQuery? Query, ItemQueryReader.Problem? Problem) ReadItemQuery(IQueryCollection query, ProjectRow project, ProjectService s, bool strict)
    {
        var meta = ProjectMetaJson.Parse(project.MetaJson);
        var datasets = s.Datasets(project.Id).Select(d => (d.Id, d.Path)).ToList();
        return ItemQueryReader.Read(query, [.. meta.Classes.Select(c => c.Name)], datasets, datasetById: true, ["skip", "take"], strict);
    }

    internal static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(title: "Not found", detail: $"No {what}. List what exists with GET /api/v1/projects.", statusCode: 404);

    internal static ProjectDto ToDto(ProjectSummary p) =>
        new(p.Project.Id, p.Project.Name, p.Project.Description, p.Items, p.Labels, p.LatestVersion, p.Project.CreatedAt, p.Project.OriginVersionId);

    internal static ItemDto ToDto(ItemRow i) =>
        new(i.Id, i.ProjectId, i.DatasetId, i.Name, ContentId.FromBytes(i.ImageId).ToString(), i.Width, i.Height, i.LabelCount, $"/api/v1/items/{i.Id}/image", i.EditedBy);
}
