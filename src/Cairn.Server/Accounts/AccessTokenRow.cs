namespace Cairn.Server.Accounts;

/// <summary>A personal access token: only its SHA-256 is kept; the token itself is shown once, when created.</summary>
public sealed class AccessTokenRow
{
    /// <summary>Id.</summary>
    public long Id { get; set; }

    /// <summary>The owning user's id (Identity's user id).</summary>
    public string UserId { get; set; } = string.Empty;

    /// <summary>What the owner called it.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public string Hash { get; set; } = string.Empty;

    /// <summary>"read" or "write" (see <see cref="TokenScopes"/>).</summary>
    public string Scope { get; set; } = TokenScopes.Read;

    /// <summary>When set, the token serves only this task's API calls (`cairn run` hands one to its program).</summary>
    public long? TaskId { get; set; }

    /// <summary>Created (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>Expires (UTC).</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>Revoked (UTC), or null.</summary>
    public DateTime? RevokedAt { get; set; }

    /// <summary>First accepted use (UTC), or null.</summary>
    public DateTime? FirstUsedAt { get; set; }

    /// <summary>Latest accepted use (UTC), or null.</summary>
    public DateTime? LastUsedAt { get; set; }
}
