namespace Cairn.Server.Accounts;

/// <summary>
/// Whether the home has any user yet: while none, a server bound to loopback serves every local request as a local admin
/// (single-user mode). Asked on each request until the first user appears (`cairn user add` may add one from another
/// process while the server runs), then remembered: a server never falls back to single-user mode by itself.
/// </summary>
public sealed class UsersPresence(AccountsDatabase database)
{
    private volatile bool _seen;

    /// <summary>Whether a user exists.</summary>
    public async ValueTask<bool> AnyAsync(CancellationToken ct)
    {
        if (_seen)
        {
            return true;
        }

        await using var db = database.Open();
        if (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Users, ct))
        {
            _seen = true;
        }

        return _seen;
    }
}
