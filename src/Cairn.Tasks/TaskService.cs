using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Storage;
using Cairn.Storage.Catalog;
using Cairn.Storage.Projects;
using Cairn.Storage.Tasks;
using Cairn.Storage.Versions;
using Cairn.Operations.Files;

namespace Cairn.Tasks;

/// <summary>
/// Creates tasks and runs them (in this process, or from a job engine worker); their records live in <see cref="Records"/>,
/// the files they write go through <see cref="Files"/>.
/// Every way of running an operation (web form, REST, CLI, worker) goes through <see cref="Create"/> then <see cref="RunAsync"/>.
/// </summary>
public sealed class TaskService(CairnStore store, TaskKindRegistry kinds, ProjectService projects, VersionService versions, FileService files, IEnumerable<ITaskListener> listeners)
{
    private readonly ITaskListener[] _listeners = [.. listeners];

    /// <summary>How often a running task flushes its log and progress, beats its heartbeat and looks for a cancel request.</summary>
    public static TimeSpan PumpInterval { get; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The store.</summary>
    public CairnStore Store => store;

    /// <summary>The kinds this service can run.</summary>
    public TaskKindRegistry Kinds => kinds;

    /// <summary>The tasks' rows, log, progress and relations in the catalog.</summary>
    public TaskRecords Records { get; } = new(store);

    /// <summary>The workspace files tasks write.</summary>
    public TaskFiles Files => _files ??= new TaskFiles(Records, files);

    private TaskFiles? _files;

    /// <summary>The projects tasks read and write.</summary>
    internal ProjectService Projects => projects;

    /// <summary>The versions tasks read and write.</summary>
    internal VersionService Versions => versions;

    /// <summary>Validates the request and stores a queued task; throws <see cref="TaskValidationException"/> on bad input.</summary>
    public TaskRow Create(TaskRequest request)
    {
        var kind = kinds.Find(request.Kind)
            ?? throw new TaskValidationException($"unknown task kind '{request.Kind}': expected one of {string.Join(", ", kinds.Names)}");
        string? problem;
        try
        {
            problem = kind.Validate(request.Parameters);
        }
        catch (TaskValidationException e)
        {
            problem = e.Message;
        }

        if (problem is not null)
        {
            throw new TaskValidationException($"{request.Kind}: {problem}");
        }

        return Records.Insert(request.Kind, request.Title ?? kind.Title(request.Parameters), request.Description, request.Parameters.ToJsonString(), request.Author);
    }

    /// <summary>
    /// Fails tasks marked running whose heartbeat is older than <paramref name="maxSilence"/>: their process died (restart, crash),
    /// and rolls back their outputs. Returns how many were failed. Safe to run from every server and worker: the update is conditional.
    /// </summary>
    public int RecoverStale(TimeSpan maxSilence)
    {
        var stale = Records.FailStale(maxSilence);
        foreach (var id in stale)
        {
            Records.RollBackOutputs(id);
        }

        return stale.Count;
    }

    /// <summary>
    /// Runs a queued task to its end in this process: running → succeeded, failed or cancelled. A task that is not queued
    /// (already run, cancelled, or taken by another worker) is returned unchanged. Never throws for the task's own errors.
    /// </summary>
    public async Task<TaskRow> RunAsync(long taskId, IProgress<TaskProgress>? observer = null, CancellationToken ct = default)
    {
        var (row, claimed) = Records.Claim(taskId);
        if (!claimed)
        {
            return row;
        }

        var kind = kinds.Find(row.Kind);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var parameters = JsonNode.Parse(row.ParametersJson)?.AsObject() ?? [];
        var context = new TaskContext(this, row, parameters, observer, cts);
        await NotifyAsync(l => l.StartedAsync(row, Records.Relations(taskId), CancellationToken.None));
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
            Records.RollBackOutputs(taskId);
            context.Log($"task {status}: {error}; outputs were rolled back", status == TaskStates.Failed ? "error" : "warning");
        }
        else
        {
            context.Log("task succeeded", "info");
        }

        context.FlushLog();
        row = Records.Finish(taskId, status, error, context.Result?.ToJsonString());
        observer?.Report(new TaskProgress(row.Progress, status));
        await NotifyAsync(l => l.FinishedAsync(row, Records.Relations(taskId), CancellationToken.None));
        return row;
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
}
