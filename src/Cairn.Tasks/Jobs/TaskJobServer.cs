using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cairn.Tasks.Jobs;

/// <summary>A Hangfire server on this home's job storage, activating jobs from the host's services; started and stopped with the host.</summary>
public sealed class TaskJobServer(JobStorage storage, IServiceScopeFactory scopes) : IHostedService, IDisposable
{
    private BackgroundJobServer? _server;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                WorkerCount = TaskServices.WorkerCount,
                ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}",
                SchedulePollingInterval = TimeSpan.FromSeconds(1),
                Activator = new ScopedActivator(scopes),
            },
            storage);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _server?.SendStop();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void Dispose() => _server?.Dispose();

    private sealed class ScopedActivator(IServiceScopeFactory scopes) : JobActivator
    {
        public override JobActivatorScope BeginScope(JobActivatorContext context) => new Scope(scopes.CreateScope());

        private sealed class Scope(IServiceScope scope) : JobActivatorScope
        {
            public override object Resolve(Type type) => ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, type);

            public override void DisposeScope() => scope.Dispose();
        }
    }
}
