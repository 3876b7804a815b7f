using System.ComponentModel;
using Cairn.Server;
using Cairn.Storage;
using Microsoft.Extensions.Hosting;
using Spectre.Console.Cli;

namespace Cairn.Cli.Commands;

/// <summary>`cairn serve`: the server and web UI on the embedded store.</summary>
public sealed class ServeCommand : AsyncCommand<ServeCommand.Settings>
{
    /// <summary>Options of serve.</summary>
    public sealed class Settings : CairnSettings
    {
        /// <summary>Listen addresses.</summary>
        [CommandOption("--urls <URLS>")]
        [Description("Addresses to listen on (default http://127.0.0.1:5180)")]
        public string? Urls { get; init; }

        /// <summary>Seed the demo workspace.</summary>
        [CommandOption("--demo")]
        [Description("Fill an empty store with the demo workspace first")]
        public bool Demo { get; init; }
    }

    /// <inheritdoc/>
    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var home = CairnStore.ResolveHome(settings.Home);
        var urls = settings.Urls ?? Environment.GetEnvironmentVariable("CAIRN_URLS") ?? "http://127.0.0.1:5180";
        if (settings.Demo)
        {
            using var store = CairnStore.Open(home, catalog: settings.Catalog, objectStore: settings.Store);
            var seeder = new Cairn.Server.Demo.DemoSeeder(store, CliTasks.Kinds().Add(new Cairn.Tasks.Kinds.RunTaskKind()));
            await seeder.SeedAsync(new Progress<string>(m => Console.Error.WriteLine($"demo: {m}")), cancellationToken);
        }

        var app = CairnServer.Build(new CairnServerOptions { Home = home, Catalog = settings.Catalog, Urls = urls, Demo = settings.Demo });
        Console.Error.WriteLine($"Cairn serving {home} on {urls}");
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            return CliContext.Fail(settings, $"{urls} is in use by another program. Stop it, or choose another address with --urls http://127.0.0.1:PORT.");
        }

        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }
}
