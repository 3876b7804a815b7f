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

    /// <summary>
    /// Trust X-Forwarded-For/-Proto/-Host from a reverse proxy (on loopback, or one of <see cref="TrustedProxies"/>);
    /// off by default, so a client cannot claim another address or scheme.
    /// </summary>
    public bool BehindProxy { get; init; }

    /// <summary>Addresses of reverse proxies whose X-Forwarded-* headers are trusted besides loopback (with <see cref="BehindProxy"/>).</summary>
    public IReadOnlyList<System.Net.IPAddress> TrustedProxies { get; init; } = [];
}
