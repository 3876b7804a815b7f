using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests;

/// <summary>Starts and stops a real Cairn server on a free loopback port over a test home (the fixtures' shared part).</summary>
internal static class TestServer
{
    /// <summary>Builds and starts the server; returns it with its base address.</summary>
    public static async Task<(WebApplication App, string BaseUrl)> StartAsync(string home)
    {
        var app = CairnServer.Build(new CairnServerOptions { Home = home, Urls = "http://127.0.0.1:0" });
        await app.StartAsync();
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>Stops the server (when started) and removes the home.</summary>
    public static async Task StopAsync(WebApplication? app, string home)
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        try
        {
            Directory.Delete(home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
