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

    private static readonly Lazy<bool> Globals = new(() =>
    {
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        return true;
    });

    private static void ConfigureGlobals() => _ = Globals.Value;

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
        // The storage, the client and the server are this container's own, never Hangfire's process-wide
        // JobStorage.Current: two Cairn servers in one process (tests, `cairn run`'s embedded API) must never enqueue
        // into, or take jobs from, each other's jobs.db.
        ConfigureGlobals();
        home = Path.GetFullPath(home);
        Directory.CreateDirectory(home);
        var storage = new SQLiteStorage(Path.Combine(home, "jobs.db"), new SQLiteStorageOptions
        {
            QueuePollInterval = TimeSpan.FromMilliseconds(200),
        });
        services.AddSingleton<JobStorage>(storage);
        services.AddSingleton<IBackgroundJobClient>(_ => new BackgroundJobClient(storage));
        if (runJobs)
        {
            services.AddHostedService(sp => new TaskJobServer(storage, sp.GetRequiredService<IServiceScopeFactory>()));
            services.AddHostedService<TaskWatchdog>();
        }

        return services;
    }
}
