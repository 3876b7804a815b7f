using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Operations.Files;
using Cairn.Storage;
using Cairn.Storage.Catalog;
using Cairn.Storage.Projects;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Tasks;

/// <summary>
/// Creates tasks, runs them (in this process, or from a job engine worker), and records their log, progress, inputs and outputs.
/// Every way of running an operation (web form, REST, CLI, worker) goes through <see cref="Create"/> then <see cref="RunAsync"/>.
/// </summary>
public sealed class TaskService(CairnStore store, TaskKindRegistry kinds, IEnumerable<ITaskListener>? listeners = null)
{
    private readonly ITaskListener[] _listeners = listeners?.ToArray() ?? [];

    /// <summary>How often a running task flushes its log and progress, beats its heartbeat and looks for a cancel request.</summary>
    public static TimeSpan PumpInterval { get; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The store.</summary>
    public CairnStore Store => store;

    /// <summary>The kinds this service can run.</summary>
    public TaskKindRegistry Kinds => kinds;

    /// <summary>Validates the request and stores a queued task; throws <see cref="TaskValidationException"/> on bad input.</summary>
    public TaskRow Create(TaskRequest request)
    {
        var kind = kinds.Find(request.Kind)
            ?? throw new TaskValidationException($"unknown task kind '{request.Kind}': expected one of {string.Join(", ", kinds.Names)}");
        string? problem;
        try
        {
            problem = kind.Validate(request.Parameters, store);
        }
        catch (TaskValidationException e)
        {
            problem = e.Message;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A parameter of the wrong JSON type (text where a number belongs, ...), met by a kind that reads it directly.
            problem = $"a parameter has the wrong type ({e.Message}); see the kind's parameters in docs/operations.md";
        }

        if (problem is not null)
        {
            throw new TaskValidationException($"{request.Kind}: {problem}");
        }

        using var db = store.Catalog();
        var row = new TaskRow
        {
            WorkspaceId = db.Workspaces.AsNoTracking().OrderBy(w => w.Id).Select(w => w.Id).First(),
            Kind = request.Kind,
            Title = request.Title ?? kind.Title(request.Parameters),
            Description = request.Description,
            ParametersJson = request.Parameters.ToJsonString(),
            Status = TaskStates.Queued,
            CreatedAt = store.UtcNow,
        };
        db.Tasks.Add(row);
        db.SaveChanges();
        return row;
    }

    /// <summary>One task, or null.</summary>
    public TaskRow? Get(long taskId)
    {
        using var db = store.Catalog();
        return db.Tasks.AsNoTracking().FirstOrDefault(t => t.Id == taskId);
    }

    /// <summary>Tasks, newest first.</summary>
    public IReadOnlyList<TaskRow> List(int skip = 0, int take = 100, string? status = null)
    {
        using var db = store.Catalog();
        var q = db.Tasks.AsNoTracking();
        if (status is not null)
        {
            q = q.Where(t => t.Status == status);
        }

        return q.OrderByDescending(t => t.Id).Skip(skip).Take(take).ToList();
    }

    /// <summary>Log lines of a task after line id <paramref name="afterId"/>, oldest first.</summary>
    public IReadOnlyList<TaskLogRow> Log(long taskId, long afterId = 0, int take = 1000)
    {
        using var db = store.Catalog();
        return db.TaskLogs.AsNoTracking().Where(l => l.TaskId == taskId && l.Id > afterId).OrderBy(l => l.Id).Take(take).ToList();
    }

    /// <summary>Inputs and outputs of a task, in the order they were recorded.</summary>
    public IReadOnlyList<TaskRelationRow> Relations(long taskId)
    {
        using var db = store.Catalog();
        return db.TaskRelations.AsNoTracking().Where(r => r.TaskId == taskId).OrderBy(r => r.Id).ToList();
    }

    /// <summary>Asks a task to stop. A queued task is cancelled at once; a running one stops at its next check. False when the task is unknown or finished.</summary>
    public bool RequestCancel(long taskId)
    {
        using var db = store.Catalog();
        var t = db.Tasks.FirstOrDefault(t => t.Id == taskId);
        if (t is null || TaskStates.IsFinal(t.Status))
        {
            return false;
        }

        t.CancelRequested = true;
        if (t.Status == TaskStates.Queued)
        {
            t.Status = TaskStates.Cancelled;
            t.EndedAt = store.UtcNow;
            t.Error = "cancelled before it started";
        }

        db.SaveChanges();
        return true;
    }

    /// <summary>Records the job engine's id for a task.</summary>
    public void SetJobId(long taskId, string jobId)
    {
        using var db = store.Catalog();
        db.Tasks.Where(t => t.Id == taskId).ExecuteUpdate(s => s.SetProperty(t => t.JobId, jobId));
    }

    /// <summary>Appends one log line (for custom applications writing to their task's log).</summary>
    public void AppendLog(long taskId, string level, string message)
    {
        using var db = store.Catalog();
        db.TaskLogs.Add(new TaskLogRow { TaskId = taskId, Time = store.UtcNow, Level = level, Message = message });
        db.SaveChanges();
    }

    /// <summary>Sets a task's progress from outside the runner (custom applications).</summary>
    public void SetProgress(long taskId, double fraction, string? message)
    {
        using var db = store.Catalog();
        var now = store.UtcNow;
        db.Tasks.Where(t => t.Id == taskId).ExecuteUpdate(s => s
            .SetProperty(t => t.Progress, Math.Clamp(fraction, 0, 1))
            .SetProperty(t => t.ProgressMessage, message)
            .SetProperty(t => t.HeartbeatAt, now));
    }

    /// <summary>Records an input or output of a task (an edge of the workflow graph). Throws <see cref="TaskValidationException"/> when the reference does not resolve.</summary>
    public TaskRelationRow AddRelation(long taskId, string direction, NodeRef node)
    {
        if (direction is not ("input" or "output"))
        {
            throw new TaskValidationException($"direction: expected \"input\" or \"output\", got \"{direction}\"");
        }

        using var db = store.Catalog();
        var title = node.Title ?? ResolveTitle(db, node)
            ?? throw new TaskValidationException($"{node.Kind} {node.RefId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? node.Path}: no such {node.Kind}");
        var row = new TaskRelationRow
        {
            TaskId = taskId,
            Direction = direction,
            NodeKind = node.Kind,
            RefId = node.RefId,
            RefPath = node.Path,
            Title = title,
            CreatedAt = store.UtcNow,
        };
        db.TaskRelations.Add(row);
        db.SaveChanges();
        return row;
    }

    /// <summary>
    /// Stores bytes as a workspace file written (or read) by a task and records it as the task's output (or input);
    /// the returned row's path is the one stored (numbered when the path was taken).
    /// </summary>
    public FileRow AddFile(long taskId, string direction, string path, Stream content, string kind = "other", CancellationToken ct = default)
    {
        path = path.Replace('\\', '/').Trim('/');
        if (path.Length == 0 || path.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw new TaskValidationException($"path '{path}': expected a relative path like runs/train/best.pt, without '.' or '..' segments");
        }

        using var db = store.Catalog();
        var ws = db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => t.WorkspaceId).First();

        // A path that exists keeps its file and the new one is named "x (2)" (FileService's rule, the one for every file).
        var file = new FileService(store).Add(path, content, kind, taskId, ws, ct);
        path = file.Path;
        db.TaskRelations.Add(new TaskRelationRow { TaskId = taskId, Direction = direction, NodeKind = NodeKinds.File, RefId = file.Id, RefPath = path, Title = Path.GetFileName(path), CreatedAt = store.UtcNow });
        db.SaveChanges();
        return file;
    }

    /// <summary>Changes how a task's node looks: title and description go to the task row, icon, colour and link to its node settings.</summary>
    public bool SetNode(long taskId, NodeSettings settings)
    {
        using var db = store.Catalog();
        var t = db.Tasks.FirstOrDefault(t => t.Id == taskId);
        if (t is null)
        {
            return false;
        }

        t.Title = settings.Title ?? t.Title;
        t.Description = settings.Description ?? t.Description;
        var node = t.NodeJson is null ? new JsonObject() : JsonNode.Parse(t.NodeJson)!.AsObject();
        if (settings.Icon is not null)
        {
            node["icon"] = settings.Icon;
        }

        if (settings.Color is not null)
        {
            node["color"] = settings.Color;
        }

        if (settings.Link is not null)
        {
            node["link"] = settings.Link;
        }

        t.NodeJson = node.ToJsonString();
        db.SaveChanges();
        return true;
    }

    /// <summary>
    /// Fails tasks marked running whose heartbeat is older than <paramref name="maxSilence"/>: their process died (restart, crash).
    /// Returns how many were failed. Safe to run from every server and worker: the update is conditional.
    /// </summary>
    public int RecoverStale(TimeSpan maxSilence)
    {
        using var db = store.Catalog();
        var limit = store.UtcNow - maxSilence;
        var stale = db.Tasks.Where(t => t.Status == TaskStates.Running && (t.HeartbeatAt == null || t.HeartbeatAt < limit)).ToList();
        foreach (var t in stale)
        {
            t.Status = TaskStates.Failed;
            t.EndedAt = store.UtcNow;
            t.Error = $"The process running this task stopped (server restart or crash): no heartbeat since {t.HeartbeatAt:yyyy-MM-dd HH:mm:ss} UTC. Its outputs were not recorded; start it again.";
            db.TaskLogs.Add(new TaskLogRow { TaskId = t.Id, Time = store.UtcNow, Level = "error", Message = t.Error });
        }

        db.SaveChanges();
        foreach (var t in stale)
        {
            RollBackOutputs(t.Id);
        }

        return stale.Count;
    }

    /// <summary>
    /// Runs a queued task to its end in this process: running → succeeded, failed or cancelled. A task that is not queued
    /// (already run, cancelled, or taken by another worker) is returned unchanged. Never throws for the task's own errors.
    /// </summary>
    public async Task<TaskRow> RunAsync(long taskId, IProgress<TaskProgress>? observer = null, CancellationToken ct = default)
    {
        TaskRow row;
        using (var db = store.Catalog())
        {
            var now = store.UtcNow;
            // Conditional claim, so two workers handed the same job cannot both run it.
            var claimed = db.Tasks.Where(t => t.Id == taskId && t.Status == TaskStates.Queued)
                .ExecuteUpdate(s => s.SetProperty(t => t.Status, TaskStates.Running).SetProperty(t => t.StartedAt, now).SetProperty(t => t.HeartbeatAt, now));
            row = db.Tasks.AsNoTracking().FirstOrDefault(t => t.Id == taskId) ?? throw new InvalidOperationException($"task {taskId} does not exist");
            if (claimed == 0)
            {
                return row;
            }
        }

        var kind = kinds.Find(row.Kind);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var parameters = JsonNode.Parse(row.ParametersJson)?.AsObject() ?? [];
        var context = new TaskContext(this, row, parameters, observer, cts);
        await NotifyAsync(l => l.StartedAsync(row, Relations(taskId), CancellationToken.None));
        var pump = context.PumpAsync();
        string status;
        string? error = null;
        try
        {
            if (kind is null)
            {
                throw new TaskValidationException($"this process cannot run tasks of kind '{row.Kind}' (it knows {string.Join(", ", kinds.Names)})");
            }

            await Task.Run(() => kind.RunAsync(context), cts.Token).ConfigureAwait(false);
            cts.Token.ThrowIfCancellationRequested();
            status = TaskStates.Succeeded;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            status = TaskStates.Cancelled;
            error = context.CancelledByRequest ? "cancelled on request" : "cancelled by the process running it (Ctrl+C or shutdown)";
        }
        catch (Exception e)
        {
            status = TaskStates.Failed;
            error = e is TaskValidationException or TaskFailedException or Core.Formats.DatasetFormatException or ProjectExistsException or InvalidDataException or IOException
                ? e.Message
                : $"{e.GetType().Name}: {e.Message}";
            context.Log(e.ToString(), "error");
        }

        await context.StopPumpAsync(pump).ConfigureAwait(false);
        if (status != TaskStates.Succeeded)
        {
            RollBackOutputs(taskId);
            context.Log($"task {status}: {error}; outputs were rolled back", status == TaskStates.Failed ? "error" : "warning");
        }
        else
        {
            context.Log("task succeeded", "info");
        }

        context.FlushLog();
        using (var db = store.Catalog())
        {
            var t = db.Tasks.First(t => t.Id == taskId);
            t.Status = status;
            t.Error = error;
            t.EndedAt = store.UtcNow;
            t.HeartbeatAt = t.EndedAt;
            if (status == TaskStates.Succeeded)
            {
                t.Progress = 1;
                t.ProgressMessage = "done";
            }

            if (context.Result is not null)
            {
                t.ResultJson = context.Result.ToJsonString();
            }

            db.SaveChanges();
            row = t;
        }

        observer?.Report(new TaskProgress(row.Progress, status));
        await NotifyAsync(l => l.FinishedAsync(row, Relations(taskId), CancellationToken.None));
        return row;
    }

    internal void WritePump(long taskId, IReadOnlyList<TaskLogRow> lines, TaskProgress? progress, out bool cancelRequested)
    {
        using var db = store.Catalog();
        if (lines.Count > 0)
        {
            db.TaskLogs.AddRange(lines);
            db.SaveChanges();
        }

        var now = store.UtcNow;
        if (progress is { } p)
        {
            db.Tasks.Where(t => t.Id == taskId).ExecuteUpdate(s => s
                .SetProperty(t => t.Progress, p.Fraction)
                .SetProperty(t => t.ProgressMessage, p.Message)
                .SetProperty(t => t.HeartbeatAt, now));
        }
        else
        {
            db.Tasks.Where(t => t.Id == taskId).ExecuteUpdate(s => s.SetProperty(t => t.HeartbeatAt, now));
        }

        cancelRequested = db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => t.CancelRequested).First();
    }

    /// <summary>
    /// Takes back what a failed or cancelled task registered: the projects (with their versions), models and evaluations
    /// it created, and every output edge. Files it stored stay as workspace files of the task (its page lists them), off
    /// the graph.
    /// </summary>
    private void RollBackOutputs(long taskId)
    {
        var projects = new ProjectService(store);
        List<long> created;
        using (var db = store.Catalog())
        {
            created = db.Projects.AsNoTracking().Where(p => p.CreatedByTaskId == taskId).Select(p => p.Id).ToList();
        }

        foreach (var id in created)
        {
            projects.Delete(id);
        }

        using (var db = store.Catalog())
        {
            db.Versions.Where(v => created.Contains(v.ProjectId)).ExecuteDelete();
            db.Models.Where(m => m.TaskId == taskId).ExecuteDelete();
            db.Evaluations.Where(e => e.TaskId == taskId).ExecuteDelete();
            db.TaskRelations.Where(r => r.TaskId == taskId && r.Direction == "output").ExecuteDelete();
        }
    }

    private async Task NotifyAsync(Func<ITaskListener, Task> call)
    {
        foreach (var l in _listeners)
        {
            try
            {
                await call(l).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException)
            {
                // Lineage is best effort: a down collector never fails a task.
            }
        }
    }

    internal static string? ResolveTitle(CatalogDb db, NodeRef node)
    {
        var id = node.RefId ?? 0;
        return node.Kind switch
        {
            NodeKinds.Project => db.Projects.AsNoTracking().Where(p => p.Id == id).Select(p => p.Name).FirstOrDefault(),
            NodeKinds.Version => db.Versions.AsNoTracking().Where(v => v.Id == id)
                .Join(db.Projects.AsNoTracking(), v => v.ProjectId, p => p.Id, (v, p) => p.Name + "@" + v.Number).FirstOrDefault(),
            NodeKinds.Dataset => node.Path is null ? null : db.Projects.AsNoTracking().Where(p => p.Id == id).Select(p => p.Name + "/" + node.Path).FirstOrDefault(),
            NodeKinds.Task => db.Tasks.AsNoTracking().Where(t => t.Id == id).Select(t => t.Title).FirstOrDefault(),
            NodeKinds.File => db.Files.AsNoTracking().Where(f => f.Id == id).Select(f => f.Path).FirstOrDefault() is { } p ? Path.GetFileName(p) : null,
            NodeKinds.Folder => node.Path is null ? null : Path.GetFileName(node.Path.TrimEnd('/')),
            NodeKinds.Model => db.Models.AsNoTracking().Where(m => m.Id == id).Select(m => m.Name).FirstOrDefault(),
            NodeKinds.Evaluation => db.Evaluations.AsNoTracking().Where(e => e.Id == id).Select(e => e.Title).FirstOrDefault(),
            _ => throw new TaskValidationException($"kind '{node.Kind}': expected one of {string.Join(", ", NodeKinds.All)}"),
        };
    }
}
