namespace Cairn.Server.Accounts;

/// <summary>One audit log entry: who did what to what, when, and whether it was allowed.</summary>
public sealed class AuditRow
{
    /// <summary>Id.</summary>
    public long Id { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime At { get; set; }

    /// <summary>The user name acting (or tried), or null for an anonymous request.</summary>
    public string? Actor { get; set; }

    /// <summary>What happened, e.g. "login", "login-failed", "token-first-use", "delete-project" (see <see cref="AuditActions"/>).</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary>What it happened to, e.g. "project 6", "user ana", "token 3".</summary>
    public string? Subject { get; set; }

    /// <summary>More, in words.</summary>
    public string? Detail { get; set; }

    /// <summary>The remote address of the request, when there was one.</summary>
    public string? RemoteAddress { get; set; }
}
