namespace Cairn.Server.Accounts;

/// <summary>The actions the audit log records.</summary>
public static class AuditActions
{
    /// <summary>A successful sign-in.</summary>
    public const string Login = "login";

    /// <summary>A failed sign-in (wrong password, unknown user, locked out).</summary>
    public const string LoginFailed = "login-failed";

    /// <summary>A token's first accepted use.</summary>
    public const string TokenFirstUse = "token-first-use";

    /// <summary>A token presented that was unknown, expired or revoked.</summary>
    public const string TokenRejected = "token-rejected";

    /// <summary>A token created.</summary>
    public const string TokenCreated = "token-created";

    /// <summary>A token revoked.</summary>
    public const string TokenRevoked = "token-revoked";

    /// <summary>A user created.</summary>
    public const string UserAdded = "user-added";

    /// <summary>A user removed.</summary>
    public const string UserRemoved = "user-removed";

    /// <summary>A user's role changed.</summary>
    public const string RoleChanged = "role-changed";

    /// <summary>A deletion (a project, …).</summary>
    public const string Delete = "delete";

    /// <summary>A version restored.</summary>
    public const string Restore = "restore";

    /// <summary>Unreferenced objects removed (`cairn gc`).</summary>
    public const string Gc = "gc";
}
