using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace Cairn.Server.Tests;

/// <summary>A real Cairn server on a free loopback port over a fresh home holding tiny-coco val2017 as project "tiny".</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    /// <summary>The temporary home.</summary>
    public string Home { get; } = Path.Combine(Path.GetTempPath(), "cairn-server-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Base address, e.g. http://127.0.0.1:41234.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The project imported at start.</summary>
    public long ProjectId { get; private set; }

    /// <summary>An HTTP client on the server.</summary>
    public HttpClient Http { get; private set; } = new();

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        using (var store = CairnStore.Open(Home))
        {
            var result = new ProjectImporter(store).Import(
                "coco",
                SharedData.Resolve("tiny-coco"),
                "tiny",
                new Core.Formats.ImportOptions(Core.Formats.ImportLimits.Default, "annotations/instances_val2017.json"));
            ProjectId = result.Project.Id;
        }

        (_app, BaseUrl) = await TestServer.StartAsync(Home);
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        Http.Dispose();
        await TestServer.StopAsync(_app, Home);
    }
}
