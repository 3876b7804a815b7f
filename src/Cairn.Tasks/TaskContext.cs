using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Core.Model;
using Cairn.Core.Serialization;
using Cairn.Storage;
using Cairn.Storage.Catalog;
using Cairn.Storage.Projects;
using Cairn.Storage.Tasks;
using Cairn.Storage.Versions;

namespace Cairn.Tasks;

/// <summary>
/// What a running task sees: its parameters, a cancellation token, a log, progress, and the only ways to read inputs
/// (<see cref="ReadInput"/>: versions, taken automatically when the working state changed) and write outputs
/// (<see cref="CreateOutputProject"/>: one transaction, at the end).
/// </summary>
public sealed class TaskContext
{
    private readonly TaskService _service;
    private readonly IProgress<TaskProgress>? _observer;
    private readonly CancellationTokenSource _cts;
    private readonly ConcurrentQueue<TaskLogRow> _log = new();
    private readonly CancellationTokenSource _stopPump = new();

    internal TaskContext(TaskService service, TaskRow task, JsonObject parameters, IProgress<TaskProgress>? observer, CancellationTokenSource cts)
    {
        _service = service;
        Task = task;
        Parameters = parameters;
        _observer = observer;
        _cts = cts;
    }

    /// <summary>The task row as it was when the run started.</summary>
    public TaskRow Task { get; }

    /// <summary>The task id.</summary>
    public long TaskId => Task.Id;

    /// <summary>The task records (for relations beyond the ones <see cref="ReadInput"/> and <see cref="CreateOutputProject"/> add).</summary>
    public TaskRecords Records => _service.Records;

    /// <summary>The task files (for files the task writes).</summary>
    public TaskFiles Files => _service.Files;

    private ProjectService Projects => _service.Projects;

    private VersionService Versions => _service.Versions;

    /// <summary>The task's parameters.</summary>
    public JsonObject Parameters { get; }

    /// <summary>Cancelled when someone asks the task to stop, or the process shuts down.</summary>
    public CancellationToken Cancellation => _cts.Token;

    /// <summary>The result document stored in <c>TaskRow.ResultJson</c> when the task ends.</summary>
    public JsonObject? Result { get; set; }

    internal bool CancelledByRequest { get; private set; }

    /// <summary>Appends a line to the task log (written in batches, a few times a second).</summary>
    public void Log(string message, string level = "info") =>
        _log.Enqueue(new TaskLogRow { TaskId = TaskId, Time = _service.Store.UtcNow, Level = level, Message = message });

    /// <summary>Reports progress; stored at most a few times a second, and passed to the in-process observer at once.</summary>
    public void Report(double fraction, string? message = null)
    {
        var p = new TaskProgress(Math.Clamp(fraction, 0, 1), message);
        Volatile.Write(ref _pendingProgressBox, new Box(p));
        _observer?.Report(p);
    }

    private Box? _pendingProgressBox;

    private sealed record Box(TaskProgress Value);

    /// <summary>
    /// Resolves <c>project</c> or <c>project@N</c> to the version the task reads. A bare project whose working state changed
    /// since its last version is versioned first (the architecture's rule). The version is recorded as an input.
    /// </summary>
    public VersionSummary ReadInput(string spec)
    {
        if (!VersionSpec.TryParse(spec, out var parsed, out var error))
        {
            throw new TaskValidationException(error);
        }

        var project = Projects.Find(parsed.Project) ?? throw new TaskValidationException($"input '{spec}': no project named '{parsed.Project}' (the projects are listed by `cairn project list` and on /projects)");
        VersionSummary version;
        if (parsed.Number is { } n)
        {
            version = Versions.Get(project.Id, n) ?? throw new TaskValidationException($"input '{spec}': project '{project.Name}' has no version {n} (its versions are listed by `cairn version list {project.Name}`)");
        }
        else
        {
            var created = Versions.Create(project.Id, title: $"before task {TaskId}", description: $"Taken automatically before task {TaskId} ({Task.Title}) read the project.", author: Task.Author ?? "cairn", ct: Cancellation)
                ?? throw new TaskValidationException($"input '{spec}': project '{project.Name}' was deleted; name one of its versions as {project.Name}@N instead");
            version = created.Version;
            Log(created.Created
                ? $"input {project.Name}: working state changed, took version {version.Number}"
                : $"input {project.Name}: unchanged since version {version.Number}, reading it");
        }

        Records.AddRelation(TaskId, "input", new NodeRef(NodeKinds.Version, version.Id, Title: $"{project.Name}@{version.Number}"));
        return version;
    }

    /// <summary>The project meta a version holds.</summary>
    public ProjectMeta Meta(VersionSummary version) => ProjectMetaJson.Parse(Versions.MetaJson(version));

    /// <summary>Every item of a version, streamed.</summary>
    public IEnumerable<VersionItem> Items(VersionSummary version) => Versions.ReadAll(version);

    /// <summary>
    /// Writes the task's output project in one transaction, takes its version 1, and records both as outputs.
    /// If the task fails or is cancelled afterwards, the runner deletes them again.
    /// </summary>
    public (ProjectRow Project, VersionSummary Version) CreateOutputProject(string name, ProjectMeta meta, IEnumerable<NewItem> items, string? description = null)
    {
        Cancellation.ThrowIfCancellationRequested();
        var project = Projects.CreateWithItems(name, meta, items, description, createdByTaskId: TaskId, ct: Cancellation)
            ?? throw new ProjectExistsException(name);
        return (project, AdoptOutputProject(project));
    }

    /// <summary>Takes version 1 of a project the task created itself (with <c>createdByTaskId</c>) and records both as outputs.</summary>
    public VersionSummary AdoptOutputProject(ProjectRow project)
    {
        var version = Versions.Create(project.Id, title: Task.Title, description: $"Written by task {TaskId}.", author: Task.Author ?? "cairn", createdByTaskId: TaskId, ct: Cancellation)!.Version;
        Records.AddRelation(TaskId, "output", new NodeRef(NodeKinds.Project, project.Id, Title: project.Name));
        Records.AddRelation(TaskId, "output", new NodeRef(NodeKinds.Version, version.Id, Title: $"{project.Name}@{version.Number}"));
        Log($"output {project.Name}: version {version.Number.ToString(CultureInfo.InvariantCulture)}, {version.Items} items, {version.Labels} labels");
        return version;
    }

    internal async Task PumpAsync()
    {
        var timer = new PeriodicTimer(TaskService.PumpInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopPump.Token).ConfigureAwait(false))
            {
                Flush();
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            timer.Dispose();
        }
    }

    internal async Task StopPumpAsync(Task pump)
    {
        await _stopPump.CancelAsync().ConfigureAwait(false);
        await pump.ConfigureAwait(false);
        Flush();
    }

    internal void FlushLog() => Flush();

    private void Flush()
    {
        var lines = new List<TaskLogRow>();
        while (_log.TryDequeue(out var l))
        {
            lines.Add(l);
        }

        var p = Interlocked.Exchange(ref _pendingProgressBox, null);
        try
        {
            var cancel = Records.Beat(TaskId, lines, p is null ? null : (p.Value.Fraction, p.Value.Message));
            if (cancel && !_cts.IsCancellationRequested)
            {
                CancelledByRequest = true;
                _cts.Cancel();
            }
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // The catalog is busy (a long write); keep the lines for the next beat.
            foreach (var l in lines)
            {
                _log.Enqueue(l);
            }
        }
    }
}
