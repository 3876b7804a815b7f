using Microsoft.Extensions.Hosting;

namespace Cairn.Tasks.Jobs;

/// <summary>Fails tasks left "running" by a process that died: at startup, then every few seconds.</summary>
public sealed class TaskWatchdog(TaskService tasks) : BackgroundService
{
    /// <summary>A running task whose heartbeat is older than this is considered dead (the runner beats every 200 ms).</summary>
    public static TimeSpan MaxSilence { get; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        do
        {
            try
            {
                tasks.RecoverStale(MaxSilence);
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // Busy catalog; try again on the next tick.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
