using Cairn.Storage;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Tasks.Jobs;

/// <summary>Registers the task runner and the job engine (Hangfire on <c>jobs.db</c> in the home folder, or in the PostgreSQL catalog).</summary>
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
    /// server with <see cref="WorkerCount"/> workers and the <see cref="TaskWatchdog"/>. Expects a <see cref="CairnStore"/> singleton (<see cref="CairnServices.AddCairn"/>).
    /// </summary>
    public static IServiceCollection AddCairnTasks(this IServiceCollection services, string home, bool runJobs)
    {
        // A no-op after AddCairn; a host that registered only a CairnStore gets the application services here.
        services.AddCairn(home);
        services.AddTransient<TaskJob>();
        services.AddSingleton<TaskQueue>();
        // The storage, the client and the server are this container's own, never Hangfire's process-wide
        // JobStorage.Current: two Cairn servers in one process (tests, `cairn run`'s embedded API) must never enqueue
        // into, or take jobs from, each other's jobs.db.
        ConfigureGlobals();
        home = Path.GetFullPath(home);
        Directory.CreateDirectory(home);
        services.AddSingleton(sp => CreateStorage(home, sp.GetRequiredService<CairnStore>()));
        services.AddSingleton<IBackgroundJobClient>(sp => new BackgroundJobClient(sp.GetRequiredService<JobStorage>()));
        if (runJobs)
        {
            services.AddHostedService(sp => new TaskJobServer(sp.GetRequiredService<JobStorage>(), sp.GetRequiredService<IServiceScopeFactory>()));
            services.AddHostedService<TaskWatchdog>();
        }

        return services;
    }

    // The job queue lives beside the catalog: jobs.db in the home for a SQLite catalog; for a PostgreSQL catalog, the
    // "hangfire" schema of the same database, so workers on other machines that open the same catalog take its jobs.
    private static JobStorage CreateStorage(string home, CairnStore store)
    {
        if (store.Provider == CatalogProvider.Postgres)
        {
            var options = new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire",
                QueuePollInterval = TimeSpan.FromMilliseconds(200),
                EnableLongPolling = true,
                PrepareSchemaIfNecessary = true,
            };
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(store.ConnectionString, options, null), options);
        }

        return new SQLiteStorage(Path.Combine(home, "jobs.db"), new SQLiteStorageOptions
        {
            QueuePollInterval = TimeSpan.FromMilliseconds(200),
        });
    }
}
