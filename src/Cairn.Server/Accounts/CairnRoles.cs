namespace Cairn.Server.Accounts;

/// <summary>
/// The three roles, each allowed everything the one before it is: a viewer reads; an editor also imports, annotates,
/// versions and runs operations; an admin also manages users and deletes (projects, gc).
/// </summary>
public static class CairnRoles
{
    /// <summary>Reads everything.</summary>
    public const string Viewer = "viewer";

    /// <summary>Reads and writes: import, annotate, version, run operations.</summary>
    public const string Editor = "editor";

    /// <summary>Everything: users, deletions, gc.</summary>
    public const string Admin = "admin";

    /// <summary>All roles, lowest first.</summary>
    public static readonly IReadOnlyList<string> All = [Viewer, Editor, Admin];

    /// <summary>Whether <paramref name="role"/> is a role name.</summary>
    public static bool IsValid(string? role) => role is Viewer or Editor or Admin;

    /// <summary>The lower of two roles.</summary>
    public static string Min(string a, string b) => Rank(a) <= Rank(b) ? a : b;

    /// <summary>0 for viewer, 1 for editor, 2 for admin, -1 for anything else.</summary>
    public static int Rank(string? role) => role switch { Viewer => 0, Editor => 1, Admin => 2, _ => -1 };
}
