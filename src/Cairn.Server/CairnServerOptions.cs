namespace Cairn.Server;

/// <summary>How to start the server.</summary>
public sealed class CairnServerOptions
{
    /// <summary>The Cairn home folder.</summary>
    public required string Home { get; init; }

    /// <summary>A PostgreSQL catalog connection string for a new home (null: CAIRN_CATALOG, what the home recorded, or SQLite).</summary>
    public string? Catalog { get; init; }

    /// <summary>Listen addresses (semicolon-separated).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5180";

    /// <summary>Seed the demo workspace on an empty store.</summary>
    public bool Demo { get; init; }

    /// <summary>Run task jobs in this process (Hangfire workers and the stale-task watchdog); false for a web-only replica.</summary>
    public bool RunJobs { get; init; } = true;
}
