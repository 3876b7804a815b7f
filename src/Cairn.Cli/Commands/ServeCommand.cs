using System.ComponentModel;
using System.Net;
using Cairn.Server;
using Cairn.Storage;
using Microsoft.Extensions.DependencyInjection;
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
        [Description("Addresses to listen on (default http://127.0.0.1:5180). An address other than loopback needs an admin user first (docs/security.md)")]
        public string? Urls { get; init; }

        /// <summary>Trust X-Forwarded-* from a reverse proxy.</summary>
        [CommandOption("--behind-proxy")]
        [Description("Trust X-Forwarded-For/-Proto/-Host from a reverse proxy on this machine (or one named with --trusted-proxy); off by default")]
        public bool BehindProxy { get; init; }

        /// <summary>Addresses of reverse proxies on other machines.</summary>
        [CommandOption("--trusted-proxy <IP>")]
        [Description("A reverse proxy's IP address whose X-Forwarded-* headers are trusted (repeatable; implies --behind-proxy)")]
        public string[] TrustedProxies { get; init; } = [];

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
        if (ListenPolicy.Refusal(urls, () => AnyAdmin(settings, cancellationToken)) is { } refusal)
        {
            return CliContext.Fail(settings, refusal, 2);
        }

        var proxies = new List<IPAddress>();
        foreach (var text in settings.TrustedProxies)
        {
            if (!IPAddress.TryParse(text, out var ip))
            {
                return CliContext.Fail(settings, $"--trusted-proxy: expected an IP address such as 10.0.0.5, got '{text}'", 2);
            }

            proxies.Add(ip);
        }

        if (settings.Demo)
        {
            using var store = CairnStore.Open(home, catalog: settings.Catalog, objectStore: settings.Store);
            var seeder = new Cairn.Server.Demo.DemoSeeder(store);
            await seeder.SeedAsync(new Progress<string>(m => Console.Error.WriteLine($"demo: {m}")), cancellationToken);
        }

        var app = CairnServer.Build(new CairnServerOptions { Home = home, Catalog = settings.Catalog, Urls = urls, Demo = settings.Demo, BehindProxy = settings.BehindProxy || proxies.Count > 0, TrustedProxies = proxies });
        Console.Error.WriteLine($"Cairn serving {home} on {urls}");
        using (var scope = app.Services.CreateScope())
        {
            if (!await scope.ServiceProvider.GetRequiredService<Cairn.Server.Accounts.UsersPresence>().AnyAsync(cancellationToken))
            {
                Console.Error.WriteLine(Cairn.Server.Accounts.AuthenticationSetup.IsLoopbackOnly(urls)
                    ? "single-user mode: no users yet; `cairn user add` to require sign-in"
                    : "no users yet: open /setup to create the first admin (or `cairn user add NAME --role admin`); until then every request is refused");
            }
        }

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

    // Whether the home has an admin who is not locked out: until then only loopback is served.
    private static bool AnyAdmin(Settings settings, CancellationToken ct)
    {
        using var services = AccountCommands.Open(settings);
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Cairn.Server.Accounts.AccountService>().ListAsync(ct).GetAwaiter().GetResult();
        return users.Any(u => u.Role == Cairn.Server.Accounts.CairnRoles.Admin && !u.LockedOut);
    }
}
