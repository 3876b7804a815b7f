namespace Cairn.Server.Accounts;

/// <summary>The authorization policies every endpoint and page names (RequireAuthorization), one per role level.</summary>
public static class CairnPolicies
{
    /// <summary>Read: viewer, editor or admin.</summary>
    public const string Read = "read";

    /// <summary>Write (import, annotate, version, run): editor or admin.</summary>
    public const string Edit = "edit";

    /// <summary>Administration (users, deletions, gc, audit): admin.</summary>
    public const string Admin = "admin";
}
