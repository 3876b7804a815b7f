using System.Text.Json.Nodes;
using Cairn.Core.Formats;
using Cairn.Server.Accounts;
using Cairn.Server.Uploads;
using Cairn.Storage.Tasks;
using Cairn.Tasks;
using Cairn.Tasks.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Cairn.Server.Endpoints;

/// <summary>Starts an upload: the files (relative paths and sizes) and, optionally, the chunk size.</summary>
public sealed record StartUploadRequest(IReadOnlyList<UploadFileRequest> Files, long? ChunkSize);

/// <summary>One file announced for an upload.</summary>
public sealed record UploadFileRequest(string Path, long Size);

/// <summary>An upload session: its files, which chunks the server holds, and the import task it became.</summary>
public sealed record UploadDto(string Id, long ChunkSize, DateTime ExpiresAt, IReadOnlyList<UploadFileDto> Files, bool Complete, long? TaskId);

/// <summary>One file of an upload with the chunk numbers received (verified).</summary>
public sealed record UploadFileDto(string Path, long Size, int Chunks, IReadOnlyList<int> Received);

/// <summary>
/// Imports a complete upload: the format (coco, yolo, voc, supervisely, images), the project (new, or with
/// <c>Existing</c> one that exists), the dataset every item goes into (optional), the COCO annotation file (optional, a
/// path inside the upload), and whether to skip the version.
/// </summary>
public sealed record ImportUploadRequest(string Format, string Project, bool Existing = false, string? Dataset = null, string? Annotations = null, string? Description = null, bool NoVersion = false);

/// <summary>The import task an upload became, and its page.</summary>
public sealed record ImportUploadResponse(long TaskId, string TaskUrl, TaskDto Task);

/// <summary>
/// Resumable uploads (/api/v1/uploads): announce the files, send each chunk with its SHA-256, ask which chunks arrived
/// (after a reload or a network error), then import the upload as an import task. Nothing is imported before every chunk
/// is there and verified.
/// </summary>
public static class UploadEndpoints
{
    /// <summary>The header that carries a chunk's SHA-256 (hex).</summary>
    public const string ChecksumHeader = "X-Chunk-SHA256";

    /// <summary>Maps /uploads.</summary>
    public static RouteGroupBuilder MapUploads(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/uploads").WithTags("Uploads").RequireAuthorization(CairnPolicies.Edit);
        g.MapPost("/", Results<Created<UploadDto>, ProblemHttpResult> (StartUploadRequest body, UploadStore uploads, TaskService tasks, HttpContext http) =>
        {
            if (body.Files is null)
            {
                return Bad("files: expected a list of {path, size}");
            }

            uploads.Sweep(id => tasks.Records.Get(id) is not { } t || TaskStates.IsFinal(t.Status));
            var (session, error) = uploads.Create(body.Files.Select(f => (f.Path, f.Size)).ToList(), body.ChunkSize, Owner(http));
            return session is null ? Bad(error!) : TypedResults.Created($"/api/v1/uploads/{session.Id}", ToDto(uploads, session));
        }).WithSummary("Start a resumable upload: announce the files (paths relative to the upload, sizes)");
        g.MapGet("/{id}", Results<Ok<UploadDto>, ProblemHttpResult> (string id, UploadStore uploads, HttpContext http) =>
            uploads.Get(id, Owner(http)) is { } s ? TypedResults.Ok(ToDto(uploads, s)) : Missing(id))
            .WithSummary("An upload: which chunks of which files the server holds (to resume)");
        g.MapPut("/{id}/files/{file:int}/chunks/{chunk:int}", async Task<Results<NoContent, ProblemHttpResult>> (string id, int file, int chunk, HttpRequest request, UploadStore uploads, CancellationToken ct) =>
        {
            var s = uploads.Get(id, Owner(request.HttpContext));
            if (s is null)
            {
                return Missing(id);
            }

            if (s.TaskId is not null)
            {
                return TypedResults.Problem(title: "Upload already imported", detail: $"upload {id} became task {s.TaskId}; start a new upload to send more", statusCode: 409);
            }

            if (file < 0 || file >= s.Files.Count)
            {
                return Bad($"file: expected 0 to {s.Files.Count - 1} (the index in the announced list), got {file}");
            }

            if (chunk < 0 || chunk >= s.Files[file].Chunks)
            {
                return Bad($"chunk: expected 0 to {s.Files[file].Chunks - 1} for '{s.Files[file].Path}', got {chunk}");
            }

            var sha = request.Headers[ChecksumHeader].ToString();
            if (sha.Length != 64 || !sha.All(char.IsAsciiHexDigit))
            {
                return Bad($"{ChecksumHeader}: expected the chunk's SHA-256 as 64 hex digits, got '{(sha.Length > 80 ? sha[..80] + "…" : sha)}'");
            }

            var error = await uploads.PutChunkAsync(s, file, chunk, sha, request.Body, ct);
            return error is null ? TypedResults.NoContent() : TypedResults.Problem(title: "Chunk refused", detail: error, statusCode: 422, extensions: new Dictionary<string, object?> { ["field"] = error.Split(':')[0] });
        }).WithSummary($"Send one chunk (body: its bytes; header {ChecksumHeader}: its SHA-256 in hex); a wrong length or checksum stores nothing");
        g.MapPost("/{id}/import", Results<Created<ImportUploadResponse>, ProblemHttpResult> (string id, ImportUploadRequest body, UploadStore uploads, TaskQueue queue, HttpContext http, CancellationToken ct) =>
        {
            var s = uploads.Get(id, Owner(http));
            if (s is null)
            {
                return Missing(id);
            }

            if (s.TaskId is { } already)
            {
                return TypedResults.Problem(title: "Upload already imported", detail: $"upload {id} became task {already}: /tasks/{already}", statusCode: 409);
            }

            if (!ImageFolder.ImportNames.Contains(body.Format, StringComparer.OrdinalIgnoreCase))
            {
                return Bad($"format: expected one of {string.Join(", ", ImageFolder.ImportNames)}, got '{body.Format}'");
            }

            var missing = uploads.Missing(s);
            if (missing.Count > 0)
            {
                return TypedResults.Problem(
                    title: "Upload incomplete",
                    detail: $"chunks not received yet: {string.Join(", ", missing)}{(missing.Count == 10 ? " …" : string.Empty)}; send them (GET /api/v1/uploads/{id} lists what arrived), then import again. Nothing was imported.",
                    statusCode: 409);
            }

            var parameters = new JsonObject { ["format"] = body.Format.ToLowerInvariant(), ["project"] = body.Project };
            if (body.Existing)
            {
                parameters["existing"] = true;
            }

            if (!string.IsNullOrWhiteSpace(body.Dataset))
            {
                parameters["dataset"] = body.Dataset.Trim();
            }

            if (!string.IsNullOrWhiteSpace(body.Description))
            {
                parameters["description"] = body.Description;
            }

            if (body.NoVersion)
            {
                parameters["noVersion"] = true;
            }

            if (!string.IsNullOrWhiteSpace(body.Annotations))
            {
                if (UploadStore.CleanPath(body.Annotations.Trim()) is not { } ann)
                {
                    return Bad($"annotations: expected a path inside the upload, got '{body.Annotations}'");
                }

                parameters["annotations"] = ann;
            }

            var path = uploads.Assemble(s, ct);
            parameters["path"] = path;
            try
            {
                var row = queue.Submit(new TaskRequest("import", parameters, null, null, RequestUser.Author(http)));
                uploads.SetTask(s, row.Id);
                return TypedResults.Created($"/api/v1/tasks/{row.Id}", new ImportUploadResponse(row.Id, $"/tasks/{row.Id}", TaskEndpoints.ToDto(row)));
            }
            catch (TaskValidationException e)
            {
                return Bad(e.Message);
            }
        }).WithSummary("Import a complete upload as an import task (a new project, or into an existing one)");
        g.MapDelete("/{id}", Results<NoContent, ProblemHttpResult> (string id, UploadStore uploads, HttpContext http) =>
            uploads.Get(id, Owner(http)) is not null && uploads.Delete(id) ? TypedResults.NoContent() : Missing(id))
            .WithSummary("Abandon an upload: its chunks are removed");
        return api;
    }

    // Who a session belongs to: the signed-in user (in single-user mode, the local user every request acts as).
    private static string Owner(HttpContext http) => http.User.Identity?.Name ?? string.Empty;

    private static UploadDto ToDto(UploadStore uploads, UploadSession s)
    {
        var files = s.Files.Select((f, i) => new UploadFileDto(f.Path, f.Size, f.Chunks, uploads.Received(s, i))).ToList();
        return new UploadDto(s.Id, s.ChunkSize, s.ExpiresAt, files, files.All(f => f.Received.Count == f.Chunks), s.TaskId);
    }

    private static ProblemHttpResult Bad(string detail) =>
        TypedResults.Problem(title: "Invalid request", detail: detail, statusCode: 400, extensions: new Dictionary<string, object?> { ["field"] = detail.Split(':')[0] });

    private static ProblemHttpResult Missing(string id) =>
        TypedResults.Problem(title: "Not found", detail: $"No upload {id} of yours (it never existed, was started by someone else, expired after {UploadStore.Lifetime.TotalHours:0} hours, or was imported and cleaned up). Start a new one with POST /api/v1/uploads.", statusCode: 404);
}
