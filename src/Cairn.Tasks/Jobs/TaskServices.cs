using Cairn.Storage;
using Cairn.Tasks.Lineage;
using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Tasks.Jobs;

/// <summary>Registers the task runner and the job engine (Hangfire on <c>jobs.db</c> in the home folder).</summary>
public static class TaskServices
{
    /// <summary>Worker threads per process.</summary>
    public const int WorkerCount = 2;

    /// <summary>
    /// Adds <see cref="TaskService"/>, <see cref="TaskQueue"/> and Hangfire storage; with <paramref name="runJobs"/>, also a Hangfire
    /// server with <see cref="WorkerCount"/> workers and the <see cref="TaskWatchdog"/>. Expects a <see cref="CairnStore"/> singleton.
    /// </summary>
    public static IServiceCollection AddCairnTasks(this IServiceCollection services, string home, bool runJobs, TaskKindRegistry? kinds = null)
    {
        services.AddSingleton(kinds ?? TaskKindRegistry.Default());
        services.AddSingleton(sp => new TaskService(sp.GetRequiredService<CairnStore>(), sp.GetRequiredService<TaskKindRegistry>(), OpenLineageEmitter.FromEnvironment() is { } ol ? [ol] : []));
        services.AddTransient<TaskJob>();
        services.AddSingleton<TaskQueue>();
        services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseSQLiteStorage(Path.Combine(Path.GetFullPath(home), "jobs.db"), new SQLiteStorageOptions
            {
                QueuePollInterval = TimeSpan.FromMilliseconds(200),
            }));
        if (runJobs)
        {
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = WorkerCount;
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            });
            services.AddHostedService<TaskWatchdog>();
        }

        return services;
    }
}
