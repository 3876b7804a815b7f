using Hangfire;

namespace Cairn.Tasks.Jobs;

/// <summary>The Hangfire job that runs one task; Hangfire's own retries are off, because a failed task is a result, not a glitch.</summary>
public sealed class TaskJob(TaskService tasks)
{
    /// <summary>Runs task <paramref name="taskId"/>; the token fires when the worker shuts down.</summary>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [JobDisplayName("cairn task {0}")]
    public async Task RunAsync(long taskId, CancellationToken cancellationToken) =>
        await tasks.RunAsync(taskId, observer: null, cancellationToken).ConfigureAwait(false);
}
