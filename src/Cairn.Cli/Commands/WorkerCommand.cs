using System.ComponentModel;
using Cairn.Server.Accounts;
using Cairn.Storage;
using Cairn.Tasks;
using Cairn.Tasks.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console.Cli;

namespace Cairn.Cli.Commands;

/// <summary>`cairn worker`: takes task jobs from the home's job queue (no web UI), next to or instead of `cairn serve`.</summary>
public sealed class WorkerCommand : AsyncCommand<CairnSettings>
{
    /// <inheritdoc/>
    public override async Task<int> ExecuteAsync(CommandContext context, CairnSettings settings, CancellationToken cancellationToken)
    {
        var home = CairnStore.ResolveHome(settings.Home);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddCairn(home, settings.Catalog, objectStore: settings.Store);
        builder.Services.AddCairnTasks(home, runJobs: true);
        // Task programs (`run`) get tokens of their own from the accounts.
        builder.Services.AddCairnAccounts();
        using var host = builder.Build();
        Console.Error.WriteLine($"Cairn worker on {home}: {TaskServices.WorkerCount} workers taking task jobs; Ctrl+C stops (running tasks end as cancelled).");
        await host.RunAsync(cancellationToken);
        return 0;
    }
}
