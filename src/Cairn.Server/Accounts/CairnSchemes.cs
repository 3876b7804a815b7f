namespace Cairn.Server.Accounts;

/// <summary>The authentication schemes: a selector in front of the sign-in cookie, bearer tokens and single-user mode.</summary>
public static class CairnSchemes
{
    /// <summary>The default scheme: picks one of the others per request.</summary>
    public const string Selector = "cairn";

    /// <summary>`Authorization: Bearer cairn_…` (personal access tokens).</summary>
    public const string Token = "token";

    /// <summary>Single-user mode: no user exists and the server is on loopback.</summary>
    public const string Local = "local";

    /// <summary>The claim a task-scoped token carries (its task's id).</summary>
    public const string TaskClaim = "cairn:task";

    /// <summary>The HttpContext.Items key set when a request is served in single-user mode.</summary>
    internal const string SingleUserItem = "cairn.single-user";
}
