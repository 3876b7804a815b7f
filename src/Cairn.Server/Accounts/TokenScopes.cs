namespace Cairn.Server.Accounts;

/// <summary>What a personal access token may do: at most its owner's role, and at most its scope.</summary>
public static class TokenScopes
{
    /// <summary>Read only (the viewer's policy).</summary>
    public const string Read = "read";

    /// <summary>Read and write (import, annotate, version, run); never administration.</summary>
    public const string Write = "write";

    /// <summary>Whether <paramref name="scope"/> is one of the scopes.</summary>
    public static bool IsValid(string? scope) => scope is Read or Write;
}
