using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace Cairn.Server.Tests;

/// <summary>A real Cairn server on a free loopback port over a fresh home holding tiny-coco val2017 as project "tiny".</summary>
public class ServerFixture : IAsyncLifetime
{
    /// <summary>The catalog: null for the home's own SQLite file, else a PostgreSQL connection string.</summary>
    protected virtual string? Catalog => null;

    /// <summary>The object store: null for the home's own folder, else an <c>s3://</c> location.</summary>
    protected virtual string? ObjectStore => null;

    private WebApplication? _app;

    /// <summary>The running server.</summary>
    internal WebApplication App => _app ?? throw new InvalidOperationException("not started");

    /// <summary>The temporary home.</summary>
    public string Home { get; } = Path.Combine(Path.GetTempPath(), "cairn-server-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Base address, e.g. http://127.0.0.1:41234.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The project imported at start.</summary>
    public long ProjectId { get; private set; }

    /// <summary>An HTTP client on the server.</summary>
    public HttpClient Http { get; private set; } = new();

    /// <inheritdoc/>
    public virtual async Task InitializeAsync()
    {
        using (var store = CairnStore.Open(Home, catalog: Catalog, objectStore: ObjectStore))
        {
            var result = new ProjectImporter(store).Import(
                "coco",
                SharedData.Resolve("tiny-coco"),
                "tiny",
                new Core.Formats.ImportOptions(Core.Formats.ImportLimits.Default, "annotations/instances_val2017.json"));
            ProjectId = result.Project.Id;
        }

        (_app, BaseUrl) = await TestServer.StartAsync(Home); // the home remembers its catalog and its store
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
    }

    /// <inheritdoc/>
    public virtual async Task DisposeAsync()
    {
        Http.Dispose();
        await TestServer.StopAsync(_app, Home);
    }
}

/// <summary>The same server and project on a PostgreSQL catalog (a fresh database on the test server).</summary>
public sealed class PostgresServerFixture : ServerFixture
{
    private readonly string _catalog = PostgresServer.CreateDatabase();

    /// <inheritdoc/>
    protected override string? Catalog => _catalog;

    /// <inheritdoc/>
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        PostgresServer.DropDatabase(_catalog);
    }
}
