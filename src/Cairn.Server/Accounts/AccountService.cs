using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Accounts;

/// <summary>A user as listed: name, role, whether locked out.</summary>
public sealed record UserInfo(string Id, string Name, string Role, bool LockedOut);

/// <summary>A token as listed (never the token itself).</summary>
public sealed record TokenInfo(long Id, string User, string Name, string Scope, long? TaskId, DateTime CreatedAt, DateTime ExpiresAt, DateTime? RevokedAt, DateTime? FirstUsedAt, DateTime? LastUsedAt);

/// <summary>A token just created: <see cref="Token"/> is shown once and kept nowhere.</summary>
public sealed record CreatedToken(long Id, string Token, string Scope, DateTime ExpiresAt);

/// <summary>
/// Users, roles, personal access tokens and the audit log. Passwords are hashed, checked and locked out by ASP.NET Core
/// Identity (<see cref="UserManager{TUser}"/>); tokens are random and kept as their SHA-256. The CLI's `cairn user` and
/// `cairn token` commands and the server's pages both go through here.
/// </summary>
public sealed class AccountService(UserManager<IdentityUser> users, AccountsDatabase database, TimeProvider clock)
{
    /// <summary>The prefix of every personal access token (so a leaked one is recognisable, e.g. by secret scanners).</summary>
    public const string TokenPrefix = "cairn_";

    /// <summary>The longest a token may live.</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(366);

    /// <summary>Whether any user exists (none: the server runs in single-user mode on loopback).</summary>
    public async Task<bool> AnyUserAsync(CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await db.Users.AnyAsync(ct);
    }

    /// <summary>All users, by name.</summary>
    public async Task<List<UserInfo>> ListAsync(CancellationToken ct = default)
    {
        await using var db = database.Open();
        var rows = await (from u in db.Users
                          join ur in db.UserRoles on u.Id equals ur.UserId into urs
                          from ur in urs.DefaultIfEmpty()
                          join r in db.Roles on ur.RoleId equals r.Id into rs
                          from r in rs.DefaultIfEmpty()
                          select new { u.Id, u.UserName, u.LockoutEnd, Role = r == null ? null : r.Name }).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return rows.GroupBy(x => x.Id)
            .Select(g => new UserInfo(g.Key, g.First().UserName ?? string.Empty, g.Select(x => x.Role ?? string.Empty).OrderByDescending(CairnRoles.Rank).First(), g.First().LockoutEnd > now))
            .OrderBy(u => u.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Creates a user with a role; the errors (name taken, password too short, bad role) otherwise.</summary>
    public async Task<IReadOnlyList<string>> AddAsync(string name, string password, string role, string? actor, CancellationToken ct = default)
    {
        if (!CairnRoles.IsValid(role))
        {
            return [$"role: expected one of {string.Join(", ", CairnRoles.All)}, got \"{role}\""];
        }

        var user = new IdentityUser(name);
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return Describe(created);
        }

        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user);
            return Describe(added);
        }

        await AuditAsync(actor, AuditActions.UserAdded, $"user {name}", $"role {role}", null, ct);
        return [];
    }

    /// <summary>Changes a user's role; false when there is no such user.</summary>
    public async Task<bool> SetRoleAsync(string name, string role, string? actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        if (!CairnRoles.IsValid(role))
        {
            throw new ArgumentException($"role: expected one of {string.Join(", ", CairnRoles.All)}, got \"{role}\"", nameof(role));
        }

        var user = await users.FindByNameAsync(name);
        if (user is null)
        {
            return false;
        }

        var old = await users.GetRolesAsync(user);
        await users.RemoveFromRolesAsync(user, old);
        await users.AddToRoleAsync(user, role);
        // Signed-in sessions pick the new role up at their next validation (a changed stamp ends them).
        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(actor, AuditActions.RoleChanged, $"user {name}", $"{string.Join(",", old)} -> {role}", null, ct);
        return true;
    }

    /// <summary>Removes a user and their tokens; false when there is no such user.</summary>
    public async Task<bool> RemoveAsync(string name, string? actor, CancellationToken ct = default)
    {
        var user = await users.FindByNameAsync(name);
        if (user is null)
        {
            return false;
        }

        await using (var db = database.Open())
        {
            await db.AccessTokens.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(ct);
        }

        await users.DeleteAsync(user);
        await AuditAsync(actor, AuditActions.UserRemoved, $"user {name}", null, null, ct);
        return true;
    }

    /// <summary>The role of a user (the highest, should there be several), or null when there is no such user.</summary>
    public async Task<string?> RoleOfAsync(IdentityUser user) =>
        (await users.GetRolesAsync(user)).OrderByDescending(CairnRoles.Rank).FirstOrDefault();

    /// <summary>Creates a personal access token for <paramref name="userName"/>; the token is in the result only.</summary>
    public async Task<CreatedToken> CreateTokenAsync(string userName, string name, string scope, TimeSpan lifetime, long? taskId, CancellationToken ct = default)
    {
        if (!TokenScopes.IsValid(scope))
        {
            throw new ArgumentException($"scope: expected \"{TokenScopes.Read}\" or \"{TokenScopes.Write}\", got \"{scope}\"", nameof(scope));
        }

        if (lifetime <= TimeSpan.Zero || lifetime > MaxTokenLifetime)
        {
            throw new ArgumentException($"expires: expected between 1 minute and {MaxTokenLifetime.TotalDays:0} days, got {lifetime}", nameof(lifetime));
        }

        var user = await users.FindByNameAsync(userName) ?? throw new ArgumentException($"user: no user \"{userName}\"", nameof(userName));
        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new AccessTokenRow
        {
            UserId = user.Id,
            Name = string.IsNullOrWhiteSpace(name) ? "token" : name.Trim(),
            Hash = Hash(token),
            Scope = scope,
            TaskId = taskId,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        await using (var db = database.Open())
        {
            db.AccessTokens.Add(row);
            await db.SaveChangesAsync(ct);
        }

        await AuditAsync(userName, AuditActions.TokenCreated, $"token {row.Id}", $"{row.Name}, scope {scope}, expires {row.ExpiresAt:yyyy-MM-dd}", null, ct);
        return new CreatedToken(row.Id, token, scope, row.ExpiresAt);
    }

    /// <summary>How long a task's token lives at most (it is revoked when the task ends, and refused once the task is over).</summary>
    public static readonly TimeSpan TaskTokenLifetime = TimeSpan.FromDays(7);

    /// <summary>
    /// A write token for task <paramref name="taskId"/>'s program: it reads what its author may read and writes only that
    /// task (log, progress, inputs, outputs, files), and only while the task runs. It belongs to <paramref name="author"/>'s
    /// account when there is one (never beyond that account's role); a task started from the command line or in
    /// single-user mode has no account behind it, and its token acts as an editor named after the author.
    /// </summary>
    public async Task<CreatedToken> CreateTaskTokenAsync(long taskId, string? author, CancellationToken ct = default)
    {
        var user = author is null ? null : await users.FindByNameAsync(author);
        var token = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new AccessTokenRow
        {
            UserId = user?.Id ?? string.Empty,
            Name = author is null ? $"task {taskId}" : $"task {taskId} by {author}",
            Hash = Hash(token),
            Scope = TokenScopes.Write,
            TaskId = taskId,
            CreatedAt = now,
            ExpiresAt = now + TaskTokenLifetime,
        };
        await using (var db = database.Open())
        {
            db.AccessTokens.Add(row);
            await db.SaveChangesAsync(ct);
        }

        await AuditAsync(author, AuditActions.TokenCreated, $"token {row.Id}", $"{row.Name}, for the task's program, scope task {taskId}", null, ct);
        return new CreatedToken(row.Id, token, row.Scope, row.ExpiresAt);
    }

    /// <summary>Tokens of one user (null: everyone's), newest first.</summary>
    public async Task<List<TokenInfo>> TokensAsync(string? userName, CancellationToken ct = default)
    {
        await using var db = database.Open();
        var q = from t in db.AccessTokens
                join u in db.Users on t.UserId equals u.Id
                select new { t, u.UserName };
        if (userName is not null)
        {
            q = q.Where(x => x.UserName == userName);
        }

        var rows = await q.ToListAsync(ct);
        return rows.OrderByDescending(x => x.t.Id)
            .Select(x => new TokenInfo(x.t.Id, x.UserName ?? string.Empty, x.t.Name, x.t.Scope, x.t.TaskId, x.t.CreatedAt, x.t.ExpiresAt, x.t.RevokedAt, x.t.FirstUsedAt, x.t.LastUsedAt))
            .ToList();
    }

    /// <summary>Revokes a token; false when <paramref name="userName"/> (null: any user) has no such token.</summary>
    public async Task<bool> RevokeTokenAsync(long id, string? userName, string? actor, CancellationToken ct = default)
    {
        await using (var db = database.Open())
        {
            var row = await db.AccessTokens.FirstOrDefaultAsync(t => t.Id == id, ct);
            if (row is null || row.RevokedAt is not null)
            {
                return false;
            }

            if (userName is not null && (await users.FindByNameAsync(userName))?.Id != row.UserId)
            {
                return false;
            }

            row.RevokedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }

        await AuditAsync(actor, AuditActions.TokenRevoked, $"token {id}", null, null, ct);
        return true;
    }

    /// <summary>Writes one audit entry.</summary>
    public async Task AuditAsync(string? actor, string action, string? subject, string? detail, string? remoteAddress, CancellationToken ct = default)
    {
        await using var db = database.Open();
        db.Audit.Add(new AuditRow { At = clock.GetUtcNow().UtcDateTime, Actor = actor, Action = action, Subject = subject, Detail = detail, RemoteAddress = remoteAddress });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The newest audit entries first.</summary>
    public async Task<List<AuditRow>> AuditLogAsync(int take, CancellationToken ct = default)
    {
        await using var db = database.Open();
        return await db.Audit.AsNoTracking().OrderByDescending(a => a.Id).Take(take).ToListAsync(ct);
    }

    /// <summary>The SHA-256 of a token as stored (lower-case hex).</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Parses a lifetime such as 30d, 12h or 90m.</summary>
    public static TimeSpan? ParseLifetime(string text)
    {
        if (text.Length < 2 || !int.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return null;
        }

        return text[^1] switch
        {
            'd' => TimeSpan.FromDays(n),
            'h' => TimeSpan.FromHours(n),
            'm' => TimeSpan.FromMinutes(n),
            _ => null,
        };
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static List<string> Describe(IdentityResult r) => r.Errors.Select(e => e.Description).ToList();
}
