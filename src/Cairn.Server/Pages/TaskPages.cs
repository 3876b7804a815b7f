using Cairn.Server.Accounts;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Core.Formats;
using Cairn.Operations.Files;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Cairn.Tasks;
using Cairn.Tasks.Graph;
using Cairn.Tasks.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Cairn.Server.Pages.Html;
using Cairn.Storage.Tasks;

namespace Cairn.Server.Pages;

/// <summary>Web UI pages: tasks list with the start form, task page with live progress and log, operation forms of a project, file page.</summary>
public static partial class TaskPages
{
    /// <summary>Maps the task pages.</summary>
    public static IEndpointRouteBuilder MapTaskPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tasks", TasksList).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/tasks/{id:long}", TaskPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapPost("/tasks/start", StartFromForm).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Edit);
        app.MapGet("/projects/{id:long}/operations", OperationsPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/files/{id:long}", FilePage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        return app;
    }

    private const string BackScript = "<script src=\"/static/back.js\"></script>";

    /// <summary>
    /// A progress bar drawn as SVG: its width is an attribute, not an inline style, which the Content-Security-Policy
    /// would block. task.js moves the bar while the task runs.
    /// </summary>
    internal static string ProgressBar(double progress, string? title, string? id) =>
        $"<svg class=\"progress\"{(id is null ? string.Empty : $" id=\"{id}\"")} role=\"progressbar\" aria-valuemin=\"0\" aria-valuemax=\"100\" aria-valuenow=\"{N(progress * 100)}\">"
        + (title is null ? string.Empty : $"<title>{H(title)}</title>")
        + $"<rect class=\"bar\" height=\"100%\" width=\"{N(Math.Clamp(progress, 0, 1) * 100)}%\"/></svg>";

    private static IResult TasksList(TaskService s)
    {
        var tasks = s.Records.List(0, 200);
        var sb = new StringBuilder("<h1>Tasks</h1>");
        if (tasks.Count == 0)
        {
            sb.Append("<p class=\"empty\">No tasks yet. Start an import below, or run <code>./cairn op filter PROJECT --output NAME</code>.</p>");
        }
        else
        {
            sb.Append("<table class=\"grid\" id=\"tasks\"><thead><tr><th>#</th><th>Task</th><th>Kind</th><th>By</th><th>Status</th><th>Progress</th><th>Started</th><th>Duration</th></tr></thead><tbody>");
            foreach (var t in tasks)
            {
                var duration = t.StartedAt is { } st ? ((t.EndedAt ?? DateTime.UtcNow) - st).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "–";
                sb.Append($"<tr data-id=\"{t.Id}\" data-status=\"{H(t.Status)}\"><td>{t.Id}</td><td><a href=\"/tasks/{t.Id}\">{H(t.Title)}</a></td><td>{H(t.Kind)}</td><td class=\"author\">{H(t.Author ?? "–")}</td><td><span class=\"status {H(t.Status)}\">{H(t.Status)}</span></td>");
                sb.Append($"<td>{ProgressBar(t.Progress, t.ProgressMessage, null)}</td><td>{t.StartedAt:yyyy-MM-dd HH:mm:ss}</td><td>{duration}</td></tr>");
            }

            sb.Append("</tbody></table>");
        }

        sb.Append("<h2>Import a dataset</h2><form method=\"post\" action=\"/tasks/start\" id=\"import-form\"><input type=\"hidden\" name=\"kind\" value=\"import\">");
        sb.Append("<label class=\"field\"><span>Format</span><select name=\"p.format\">");
        foreach (var f in DatasetFormats.Names)
        {
            sb.Append($"<option>{H(f)}</option>");
        }

        sb.Append("</select></label><label class=\"field\"><span>Path on the server</span><input name=\"p.path\" size=\"60\" required placeholder=\"/data/datasets/shapes or shapes.zip\"></label>");
        sb.Append("<label class=\"field\"><span>COCO annotation file</span><input name=\"p.annotations\" size=\"40\" placeholder=\"annotations/instances_val2017.json (optional)\"></label>");
        sb.Append("<label class=\"field\"><span>New project name</span><input name=\"p.project\" required></label><button type=\"submit\">Start import</button></form>");
        if (OperationForms.Has("generate") is false && s.Kinds.Find("generate") is not null)
        {
            sb.Append("<h2>Generate a synthetic project</h2><form method=\"post\" action=\"/tasks/start\" id=\"generate-form\"><input type=\"hidden\" name=\"kind\" value=\"generate\">");
            sb.Append("<label class=\"field\"><span>Images</span><input name=\"p.count#\" type=\"number\" value=\"100\" min=\"1\"></label><label class=\"field\"><span>Seed</span><input name=\"p.seed#\" type=\"number\" value=\"1\"></label>");
            sb.Append("<label class=\"field\"><span>New project name</span><input name=\"p.output\" required value=\"synthetic\"></label><button type=\"submit\">Start generate</button></form>");
        }

        var refresh = tasks.Any(t => !TaskStates.IsFinal(t.Status)) ? "<script src=\"/static/refresh.js\" data-after-ms=\"1000\"></script>" : null;
        return Page("Tasks", [("Tasks", null)], sb.ToString(), refresh);
    }

    private static IResult TaskPage(long id, TaskService s, VersionService versions, FileService files)
    {
        var t = s.Records.Get(id);
        if (t is null)
        {
            return NotFoundPage($"There is no task {id}.");
        }

        var relations = s.Records.Relations(id);
        var sb = new StringBuilder();
        sb.Append($"<h1 id=\"task-title\">{H(t.Title)}</h1>");
        if (!string.IsNullOrEmpty(t.Description))
        {
            sb.Append($"<p>{H(t.Description)}</p>");
        }

        sb.Append($"<p><span id=\"task-status\" class=\"status {H(t.Status)}\">{H(t.Status)}</span> <span class=\"muted\">{H(t.Kind)} · task {t.Id}{(t.Author is { } by ? $" · started by <span id=\"task-author\">{H(by)}</span>" : string.Empty)}</span></p>");
        sb.Append($"{ProgressBar(t.Progress, null, "task-progress")}<p class=\"muted\" id=\"task-message\">{H(t.ProgressMessage)}</p>");
        sb.Append($"<p id=\"task-error\" class=\"removed\">{H(t.Error)}</p>");
        sb.Append($"<p class=\"actions\"><button class=\"danger\" id=\"cancel\" {(TaskStates.IsFinal(t.Status) ? "hidden" : string.Empty)}>Cancel</button> <a class=\"button secondary\" href=\"/graph?task={id}\">Workflow graph</a></p>");
        sb.Append("<div class=\"cols\"><section><h2>Inputs</h2>").Append(RelationList(versions, relations.Where(r => r.Direction == "input"), "inputs"));
        sb.Append("</section><section><h2>Outputs</h2>").Append(RelationList(versions, relations.Where(r => r.Direction == "output"), "outputs"));
        sb.Append("</section><section><h2>Parameters</h2><pre class=\"params\">").Append(H(JsonNode.Parse(t.ParametersJson)?.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }))).Append("</pre>");
        if (t.ResultJson is not null)
        {
            sb.Append("<h2>Result</h2><pre id=\"task-result\">").Append(H(JsonNode.Parse(t.ResultJson)?.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }))).Append("</pre>");
        }

        sb.Append("</section></div>");
        if (t.Status is TaskStates.Failed or TaskStates.Cancelled)
        {
            // A task that did not succeed registers no outputs; what it stored before it stopped is listed here only.
            var kept = files.List(taskId: id);
            if (kept.Count > 0)
            {
                sb.Append("<h2>Files kept from this run</h2><p class=\"muted\">Not outputs: a task that did not succeed registers none.</p><ul id=\"kept-files\" class=\"relations\">");
                foreach (var f in kept)
                {
                    sb.Append($"<li><a href=\"/files/{f.Id}\">{H(f.Path)}</a></li>");
                }

                sb.Append("</ul>");
            }
        }

        sb.Append($"<p class=\"muted\">Created {t.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC{(t.StartedAt is { } st ? $", started {st:HH:mm:ss}" : string.Empty)}{(t.EndedAt is { } en ? $", ended {en:HH:mm:ss}" : string.Empty)}</p>");
        sb.Append("<h2>Log</h2><pre class=\"log\" id=\"task-log\"></pre>");
        return Page(t.Title, [("Tasks", "/tasks"), ($"#{t.Id}", null)], sb.ToString(), $"<script src=\"/static/task.js\" data-task-id=\"{t.Id}\" data-task-status=\"{H(t.Status)}\"></script>");
    }

    private static string RelationList(VersionService versions, IEnumerable<Storage.Catalog.TaskRelationRow> relations, string id)
    {
        var sb = new StringBuilder($"<ul id=\"{id}\" class=\"relations\">");
        var any = false;
        foreach (var r in relations)
        {
            any = true;
            var href = Link(versions, r);
            var icon = NodeStyle.Icon(r.NodeKind);
            sb.Append($"<li data-kind=\"{H(r.NodeKind)}\"><span class=\"muted\">{H(icon)} {H(r.NodeKind)}</span> ");
            sb.Append(href is null ? H(r.Title ?? r.RefPath) : $"<a href=\"{H(href)}\">{H(r.Title ?? r.RefPath)}</a>");
            sb.Append("</li>");
        }

        if (!any)
        {
            sb.Append("<li class=\"empty\">none</li>");
        }

        return sb.Append("</ul>").ToString();
    }

    private static string? Link(VersionService versions, Storage.Catalog.TaskRelationRow r) => r.NodeKind switch
    {
        NodeKinds.Project => $"/projects/{r.RefId}",
        NodeKinds.Version => r.RefId is { } vid && versions.Get(vid) is { } v ? $"/projects/{v.ProjectId}/versions/{v.Number}" : null,
        NodeKinds.Dataset => $"/projects/{r.RefId}",
        NodeKinds.Task => $"/tasks/{r.RefId}",
        NodeKinds.File => $"/files/{r.RefId}",
        NodeKinds.Model => $"/models/{r.RefId}",
        NodeKinds.Evaluation => $"/evaluations/{r.RefId}",
        _ => null,
    };

    private static IResult StartFromForm(HttpRequest request, TaskQueue queue, ProjectService projects, TaskService tasks)
    {
        var form = request.Form;
        var kind = form["kind"].ToString();
        var parameters = new JsonObject();
        foreach (var (key, value) in form)
        {
            if (!key.StartsWith("p.", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(value.ToString()))
            {
                continue;
            }

            var name = key[2..];
            var text = value.ToString().Trim();
            try
            {
                FormValue(parameters, name, text);
            }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or OverflowException)
            {
                var field = name.TrimEnd('[', ']', '?', '$', '#');
                var expected = name.EndsWith('$') ? "JSON" : "a number";
                return Refused(request, projects, tasks, kind, field, $"Field '{field}': expected {expected}, got '{text}' ({e.Message}).");
            }
        }

        try
        {
            var row = queue.Submit(new TaskRequest(kind, parameters, Author: RequestUser.Author(request.HttpContext)));
            return Results.Redirect($"/tasks/{row.Id}");
        }
        catch (TaskValidationException e)
        {
            var path = ParameterPath().Match(e.Message) is { Success: true } m ? m.Groups[1].Value : null;
            return Refused(request, projects, tasks, kind, path, e.Message);
        }
    }

    // A form from a project's operations page comes back as that page, the user's input in its fields and the message
    // beside the field it names (status 422); any other form gets a page with the message and a way back.
    private static IResult Refused(HttpRequest request, ProjectService projects, TaskService tasks, string kind, string? path, string message)
    {
        if (long.TryParse(request.Form["project"], NumberStyles.None, CultureInfo.InvariantCulture, out var projectId) && projects.Get(projectId) is { } project && OperationForms.Has(kind))
        {
            var values = request.Form.Where(f => f.Key.StartsWith("p.", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
            return RenderOperations(project, tasks, new OperationFormState(kind, values, path, message), 422);
        }

        return Page("Cannot start task", [("Tasks", "/tasks"), ("Start", null)], $"<h1>Cannot start the task</h1><p class=\"removed\" id=\"start-error\">{H(message)}{(message.EndsWith('.') ? string.Empty : ".")} Go back, correct it and start again.</p><p><a href=\"/tasks\" data-back>Back to the form</a></p>", BackScript, statusCode: 422);
    }

    [System.Text.RegularExpressions.GeneratedRegex("parameter '([^']+)'")]
    private static partial System.Text.RegularExpressions.Regex ParameterPath();

    private static void FormValue(JsonObject parameters, string name, string text)
    {
        if (name.EndsWith("[]", StringComparison.Ordinal))
        {
            parameters[name[..^2]] = new JsonArray(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => (JsonNode)x!).ToArray());
        }
        else if (name.EndsWith("?", StringComparison.Ordinal))
        {
            parameters[name[..^1]] = text is "true" or "on";
        }
        else if (name.EndsWith("$", StringComparison.Ordinal))
        {
            parameters[name[..^1]] = JsonNode.Parse(text);
        }
        else if (name.EndsWith("#", StringComparison.Ordinal))
        {
            parameters[name[..^1]] = double.Parse(text, CultureInfo.InvariantCulture) is var d && d == Math.Floor(d) ? JsonValue.Create((long)d) : JsonValue.Create(d);
        }
        else
        {
            parameters[name] = text;
        }
    }

    private static IResult OperationsPage(long id, ProjectService projects, TaskService tasks)
    {
        var p = projects.Get(id);
        return p is null ? NotFoundPage($"There is no project {id}.") : RenderOperations(p, tasks, null, 200);
    }

    private static IResult RenderOperations(Storage.Catalog.ProjectRow p, TaskService tasks, OperationFormState? state, int statusCode)
    {
        var sb = new StringBuilder($"<h1>Run an operation on {H(p.Name)}</h1><p class=\"muted\">The operation reads the project's latest version (taken now if the working state changed) and writes a new project.</p>");
        if (state is not null)
        {
            sb.Append($"<p class=\"field-error\" id=\"start-error\" role=\"alert\">The {H(state.Kind)} task did not start: see the message beside the field below.</p>");
        }

        foreach (var kind in tasks.Kinds.Names.Where(k => OperationForms.Has(k)))
        {
            sb.Append(OperationForms.Form(kind, p.Name, p.Id, state?.Kind == kind ? state : null));
        }

        var script = tasks.Kinds.Find("augment") is null ? null : "<script src=\"/static/augment-form.js\"></script>";
        return Page("Operations", [("Projects", "/projects"), (p.Name, $"/projects/{p.Id}"), ("Operations", null)], sb.ToString(), script, statusCode);
    }

    private static IResult FilePage(long id, FileService files)
    {
        var f = files.Get(id);
        if (f is null)
        {
            return NotFoundPage($"There is no file {id}.");
        }

        var sb = new StringBuilder($"<h1>{H(Path.GetFileName(f.Path))}</h1><table class=\"grid\" id=\"file\"><tbody>");
        sb.Append($"<tr><th>Path</th><td>{H(f.Path)}</td></tr><tr><th>Kind</th><td>{H(f.Kind)}</td></tr><tr><th>Size</th><td>{Bytes(f.Size)}</td></tr>");
        sb.Append($"<tr><th>Content id</th><td><code>{Core.Ids.ContentId.FromBytes(f.ContentId)}</code></td></tr>");
        if (f.TaskId is { } t)
        {
            sb.Append($"<tr><th>Written by</th><td><a href=\"/tasks/{t}\">task {t}</a></td></tr>");
        }

        sb.Append($"</tbody></table><p><a class=\"button\" href=\"/api/v1/files/{id}/content\">Download</a> <a class=\"button secondary\" href=\"/graph?focus=file:{id}\">Workflow graph</a></p>");
        return Page(f.Path, [("Files", null), (f.Path, null)], sb.ToString());
    }
}
