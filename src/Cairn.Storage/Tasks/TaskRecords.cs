using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Storage.Catalog;
using Cairn.Storage.Projects;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Storage.Tasks;

/// <summary>
/// The catalog's record of tasks: rows, log, progress, inputs and outputs, cancel requests and node settings.
/// The task runner (Cairn.Tasks) and the server and CLI read and write tasks only through this class.
/// </summary>
public sealed class TaskRecords(CairnStore store)
{
    /// <summary>The store.</summary>
    public CairnStore Store => store;

    /// <summary>Stores a queued task in the default workspace; the parameters were validated by the caller.</summary>
    public TaskRow Insert(string kind, string title, string? description, string parametersJson, string? author = null)
    {
        using var db = store.Catalog();
        var row = new TaskRow
        {
            WorkspaceId = db.Workspaces.AsNoTracking().OrderBy(w => w.Id).Select(w => w.Id).First(),
            Kind = kind,
            Title = title,
            Description = description,
            ParametersJson = parametersJson,
            Author = author,
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

    /// <summary>The workspace a task belongs to.</summary>
    public long WorkspaceOf(long taskId)
    {
        using var db = store.Catalog();
        return db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => t.WorkspaceId).First();
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

    /// <summary>Throws <see cref="TaskValidationException"/> unless <paramref name="direction"/> is "input" or "output".</summary>
    public static void CheckDirection(string direction)
    {
        if (direction is not ("input" or "output"))
        {
            throw new TaskValidationException($"direction: expected \"input\" or \"output\", got \"{direction}\"");
        }
    }

    /// <summary>Records an input or output of a task (an edge of the workflow graph). Throws <see cref="TaskValidationException"/> when the reference does not resolve.</summary>
    public TaskRelationRow AddRelation(long taskId, string direction, NodeRef node)
    {
        CheckDirection(direction);
        using var db = store.Catalog();
        var title = node.Title ?? ResolveTitle(db, node)
            ?? throw new TaskValidationException($"{node.Kind} {node.RefId?.ToString(CultureInfo.InvariantCulture) ?? node.Path}: no such {node.Kind}");
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
    /// Moves a queued task to running (conditionally, so two workers handed the same job cannot both run it) and returns
    /// it, with whether this call claimed it. Throws <see cref="InvalidOperationException"/> for an unknown task.
    /// </summary>
    public (TaskRow Row, bool Claimed) Claim(long taskId)
    {
        using var db = store.Catalog();
        var now = store.UtcNow;
        var claimed = db.Tasks.Where(t => t.Id == taskId && t.Status == TaskStates.Queued)
            .ExecuteUpdate(s => s.SetProperty(t => t.Status, TaskStates.Running).SetProperty(t => t.StartedAt, now).SetProperty(t => t.HeartbeatAt, now));
        var row = db.Tasks.AsNoTracking().FirstOrDefault(t => t.Id == taskId) ?? throw new InvalidOperationException($"task {taskId} does not exist");
        return (row, claimed > 0);
    }

    /// <summary>Stores a running task's end: its final status, error and result; a succeeded task's progress becomes 1.</summary>
    public TaskRow Finish(long taskId, string status, string? error, string? resultJson)
    {
        using var db = store.Catalog();
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

        if (resultJson is not null)
        {
            t.ResultJson = resultJson;
        }

        db.SaveChanges();
        return t;
    }

    /// <summary>
    /// One beat of a running task: appends its log lines, stores its progress (when given) and heartbeat, and returns
    /// whether someone asked it to stop.
    /// </summary>
    public bool Beat(long taskId, IReadOnlyList<TaskLogRow> lines, (double Fraction, string? Message)? progress)
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

        return db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => t.CancelRequested).First();
    }

    /// <summary>
    /// Fails tasks marked running whose heartbeat is older than <paramref name="maxSilence"/> (their process died) and
    /// returns their ids. Their outputs are still registered: roll them back with <see cref="RollBackOutputs"/>.
    /// </summary>
    public IReadOnlyList<long> FailStale(TimeSpan maxSilence)
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
        return stale.Select(t => t.Id).ToList();
    }

    /// <summary>
    /// Takes back what a failed or cancelled task registered: the projects (with their versions), models and evaluations
    /// it created, and every output edge. Files it stored stay as workspace files of the task (its page lists them), off
    /// the graph.
    /// </summary>
    public void RollBackOutputs(long taskId)
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

    /// <summary>Every task with its relations, and the projects, versions, files, models and evaluations the workflow graph shows.</summary>
    public WorkflowRows Workflow()
    {
        using var db = store.Catalog();
        var relations = db.TaskRelations.AsNoTracking().OrderBy(r => r.Id).ToList();
        var fileIds = relations.Where(r => r.NodeKind == NodeKinds.File && r.RefId is not null).Select(r => r.RefId!.Value).Distinct().ToList();
        return new WorkflowRows(
            db.Tasks.AsNoTracking().ToList(),
            relations,
            db.Projects.AsNoTracking().ToDictionary(p => p.Id),
            db.Versions.AsNoTracking().Select(v => new WorkflowRows.Version(v.Id, v.ProjectId, v.Number, v.Title, v.Description, v.Author)).ToDictionary(v => v.Id),
            db.Files.AsNoTracking().Where(f => fileIds.Contains(f.Id)).Select(f => new WorkflowRows.File(f.Id, f.Path, f.Size, f.Kind)).ToDictionary(f => f.Id),
            db.Models.AsNoTracking().Select(m => new WorkflowRows.Model(m.Id, m.Name, m.Description)).ToDictionary(m => m.Id),
            db.Evaluations.AsNoTracking().Select(e => new WorkflowRows.Evaluation(e.Id, e.Title, e.MapAll)).ToDictionary(e => e.Id));
    }

    /// <summary>Sets the description (and optionally the title) of a graph node that has them: task, project, version, model. False otherwise.</summary>
    public bool DescribeNode(string kind, long id, string? description, string? title)
    {
        using var db = store.Catalog();
        switch (kind)
        {
            case NodeKinds.Task when db.Tasks.FirstOrDefault(t => t.Id == id) is { } t:
                t.Description = description ?? t.Description;
                t.Title = title ?? t.Title;
                break;
            case NodeKinds.Project when db.Projects.FirstOrDefault(p => p.Id == id) is { } p:
                p.Description = description ?? p.Description;
                break;
            case NodeKinds.Version when db.Versions.FirstOrDefault(v => v.Id == id) is { } v:
                v.Description = description ?? v.Description;
                v.Title = title ?? v.Title;
                break;
            case NodeKinds.Model when db.Models.FirstOrDefault(m => m.Id == id) is { } m:
                m.Description = description ?? m.Description;
                break;
            default:
                return false;
        }

        db.SaveChanges();
        return true;
    }

    private static string? ResolveTitle(CatalogDb db, NodeRef node)
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
