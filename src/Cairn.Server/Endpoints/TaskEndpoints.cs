using Cairn.Server.Accounts;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Core.Ids;
using Cairn.Operations.Files;
using Cairn.Storage.Catalog;
using Cairn.Tasks;
using Cairn.Tasks.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Cairn.Storage.Tasks;

namespace Cairn.Server.Endpoints;

/// <summary>REST endpoints for tasks: start, list, show, log, cancel; and the workflow API custom applications call while they run.</summary>
public static class TaskEndpoints
{
    /// <summary>Maps /tasks and /files.</summary>
    public static RouteGroupBuilder MapTasks(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/tasks").WithTags("Tasks").RequireAuthorization(CairnPolicies.Read);
        g.MapGet("/", (TaskService s, int? skip, int? take, string? status) =>
            TypedResults.Ok(s.Records.List(Math.Max(0, skip ?? 0), Math.Clamp(take ?? 100, 1, 1000), status).Select(ToDto).ToList()))
            .WithSummary("List tasks, newest first");
        g.MapGet("/kinds", (TaskService s) => TypedResults.Ok(s.Kinds.Names)).WithSummary("Task kinds this server runs");
        g.MapPost("/", Results<Created<TaskDto>, ProblemHttpResult> (StartTaskRequest body, TaskQueue queue, HttpContext http) =>
        {
            if (body.Parameters.ValueKind != JsonValueKind.Object)
            {
                return Bad("parameters: expected a JSON object");
            }

            try
            {
                var row = queue.Submit(new TaskRequest(body.Kind, JsonNode.Parse(body.Parameters.GetRawText())!.AsObject(), body.Title, body.Description, RequestUser.Author(http)));
                return TypedResults.Created($"/api/v1/tasks/{row.Id}", ToDto(row));
            }
            catch (TaskValidationException e)
            {
                return Bad(e.Message);
            }
        }).WithSummary("Start a task (queued for a worker)").RequireAuthorization(CairnPolicies.Edit);
        g.MapGet("/{id:long}", Results<Ok<TaskDetailDto>, ProblemHttpResult> (long id, TaskService s) =>
        {
            var t = s.Records.Get(id);
            if (t is null)
            {
                return NotFound(id);
            }

            var rel = s.Records.Relations(id).Select(ToDto).ToList();
            return TypedResults.Ok(new TaskDetailDto(ToDto(t), rel.Where(r => r.Direction == "input").ToList(), rel.Where(r => r.Direction == "output").ToList()));
        }).WithSummary("A task with its inputs and outputs");
        g.MapGet("/{id:long}/log", Results<Ok<List<LogLineDto>>, ProblemHttpResult> (long id, long? after, int? take, TaskService s) =>
            s.Records.Get(id) is null ? NotFound(id) : TypedResults.Ok(s.Records.Log(id, after ?? 0, Math.Clamp(take ?? 1000, 1, 10000)).Select(l => new LogLineDto(l.Id, l.Time, l.Level, l.Message)).ToList()))
            .WithSummary("Log lines after a line id");
        g.MapPost("/{id:long}/log", Results<NoContent, ProblemHttpResult> (long id, LogRequest body, TaskService s) =>
        {
            if (s.Records.Get(id) is null)
            {
                return NotFound(id);
            }

            s.Records.AppendLog(id, body.Level ?? "info", body.Message);
            return TypedResults.NoContent();
        }).WithSummary("Append a line to a task's log").RequireAuthorization(CairnPolicies.Edit);
        g.MapPost("/{id:long}/progress", Results<NoContent, ProblemHttpResult> (long id, ProgressRequest body, TaskService s) =>
        {
            if (s.Records.Get(id) is null)
            {
                return NotFound(id);
            }

            s.Records.SetProgress(id, body.Fraction, body.Message);
            return TypedResults.NoContent();
        }).WithSummary("Set a task's progress").RequireAuthorization(CairnPolicies.Edit);
        g.MapPost("/{id:long}/cancel", Results<Accepted, ProblemHttpResult> (long id, TaskService s) =>
        {
            var t = s.Records.Get(id);
            if (t is null)
            {
                return NotFound(id);
            }

            return s.Records.RequestCancel(id) ? TypedResults.Accepted($"/api/v1/tasks/{id}") : TypedResults.Problem(title: "Task already finished", detail: $"task {id} is {t.Status}; only queued or running tasks can be cancelled", statusCode: 409);
        }).WithSummary("Ask a task to stop").RequireAuthorization(CairnPolicies.Edit);
        g.MapPost("/{id:long}/inputs", (long id, RelationRequest body, TaskService s) => AddRelation(id, "input", body, s)).WithSummary("Add an input node to a task").RequireAuthorization(CairnPolicies.Edit);
        g.MapPost("/{id:long}/outputs", (long id, RelationRequest body, TaskService s) => AddRelation(id, "output", body, s)).WithSummary("Add an output node to a task").RequireAuthorization(CairnPolicies.Edit);
        g.MapPost("/{id:long}/files", async Task<Results<Created<FileDto>, ProblemHttpResult>> (long id, string path, string? kind, string? direction, HttpRequest request, TaskService s, CancellationToken ct) =>
        {
            if (s.Records.Get(id) is null)
            {
                return NotFound(id);
            }

            kind ??= "other";
            if (kind is not ("checkpoint" or "report" or "metrics" or "log" or "other"))
            {
                return Bad($"kind: expected checkpoint, report, metrics, log or other, got '{kind}'");
            }

            try
            {
                // Buffer to a temp file: the object store hashes while it copies and needs a seekable source.
                var tmp = Path.GetTempFileName();
                try
                {
                    await using (var f = File.Create(tmp))
                    {
                        await request.Body.CopyToAsync(f, ct);
                    }

                    await using var read = File.OpenRead(tmp);
                    var file = s.Files.AddFile(id, direction ?? "output", path, read, kind, ct);
                    return TypedResults.Created($"/api/v1/files/{file.Id}", ToDto(file));
                }
                finally
                {
                    File.Delete(tmp);
                }
            }
            catch (TaskValidationException e)
            {
                return Bad(e.Message);
            }
        }).WithSummary("Upload a file (body: the bytes) as a task output (or input with direction=input)").RequireAuthorization(CairnPolicies.Edit);
        g.MapPut("/{id:long}/node", Results<NoContent, ProblemHttpResult> (long id, NodeSettingsRequest body, TaskService s) =>
            s.Records.SetNode(id, new NodeSettings(body.Title, body.Description, body.Icon, body.Color, body.Link)) ? TypedResults.NoContent() : NotFound(id))
            .WithSummary("Set a task node's title, description, icon, colour and link").RequireAuthorization(CairnPolicies.Edit);

        var files = api.MapGroup("/files").WithTags("Files").RequireAuthorization(CairnPolicies.Read);
        files.MapGet("/", (FileService fs, long? task) => TypedResults.Ok(fs.List(task, 5000).Select(ToDto).ToList())).WithSummary("List workspace files");
        files.MapGet("/{id:long}", Results<Ok<FileDto>, ProblemHttpResult> (long id, FileService fs) =>
        {
            var f = fs.Get(id);
            return f is null ? TypedResults.Problem(title: "Not found", detail: $"there is no file {id}; a task lists its files under GET /api/v1/tasks/{{id}}", statusCode: 404) : TypedResults.Ok(ToDto(f));
        }).WithSummary("A workspace file's record");
        files.MapGet("/{id:long}/content", async (long id, FileService fs, HttpContext http) =>
        {
            var f = fs.Get(id);
            if (f is null)
            {
                return Results.Problem(title: "Not found", detail: $"there is no file {id}; a task lists its files under GET /api/v1/tasks/{{id}}", statusCode: 404);
            }

            var stream = await fs.OpenReadAsync(f, http.RequestAborted);
            SecurityHeaders.UserContent(http.Response, "application/octet-stream");
            return Results.File(stream, "application/octet-stream", Path.GetFileName(f.Path));
        }).WithSummary("Download a workspace file");
        return api;
    }

    internal static TaskDto ToDto(TaskRow t) => new(
        t.Id, t.Kind, t.Title, t.Description, t.Status, t.Progress, t.ProgressMessage, t.Error, t.CreatedAt, t.StartedAt, t.EndedAt,
        Parse(t.ParametersJson) ?? default, Parse(t.ResultJson), Parse(t.NodeJson), t.CancelRequested, $"/tasks/{t.Id}", t.Author);

    internal static RelationDto ToDto(TaskRelationRow r) => new(r.Id, r.Direction, r.NodeKind, r.RefId, r.RefPath, r.Title, r.CreatedAt);

    internal static FileDto ToDto(FileRow f) => new(f.Id, f.Path, ContentId.FromBytes(f.ContentId).ToString(), f.Size, f.Kind, f.TaskId, f.CreatedAt, $"/api/v1/files/{f.Id}/content");

    private static Results<Created<RelationDto>, ProblemHttpResult> AddRelation(long id, string direction, RelationRequest body, TaskService s)
    {
        if (s.Records.Get(id) is null)
        {
            return NotFound(id);
        }

        if (!NodeKinds.IsKnown(body.Kind))
        {
            return Bad($"kind: expected one of {string.Join(", ", NodeKinds.All)}, got '{body.Kind}'");
        }

        try
        {
            var row = s.Records.AddRelation(id, direction, new NodeRef(body.Kind, body.RefId, body.Path, body.Title));
            return TypedResults.Created($"/api/v1/tasks/{id}", ToDto(row));
        }
        catch (TaskValidationException e)
        {
            return Bad(e.Message);
        }
    }

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    private static ProblemHttpResult NotFound(long id) => TypedResults.Problem(title: "Not found", detail: $"task {id} does not exist; list the tasks with GET /api/v1/tasks", statusCode: 404);

    private static ProblemHttpResult Bad(string detail) => TypedResults.Problem(title: "Invalid request", detail: detail, statusCode: 400);
}
