using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Accounts;

/// <summary>
/// `Authorization: Bearer cairn_…`: looks the token's SHA-256 up, refuses it when unknown, revoked or expired (or its user
/// is gone or locked out), and signs the request in as its user with the lower of the user's role and the token's scope
/// (read: viewer; write: at most editor). A task's token (<see cref="AccountService.CreateTaskTokenAsync"/>) is refused
/// once its task is over, may have no user behind it (then it acts as an editor named after the task's author), and is
/// held to its task's own API by <see cref="TaskTokenGuard"/>. Records the first use in the audit log and the latest on
/// the token.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccountsDatabase database,
    TimeProvider clock,
    Cairn.Tasks.TaskService tasks)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <inheritdoc/>
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        if (!token.StartsWith(AccountService.TokenPrefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail($"the bearer token is not a Cairn token (expected one starting with \"{AccountService.TokenPrefix}\", made by `cairn token create` or /account/tokens)");
        }

        var hash = AccountService.Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        var remote = Context.Connection.RemoteIpAddress?.ToString();
        await using var db = database.Open();
        var row = await db.AccessTokens.FirstOrDefaultAsync(t => t.Hash == hash, Context.RequestAborted);
        string? problem = row switch
        {
            null => "the token is not known (never issued, or its user was removed)",
            { RevokedAt: not null } => $"token {row.Id} was revoked at {row.RevokedAt:yyyy-MM-dd HH:mm} UTC",
            _ when row.ExpiresAt <= now => $"token {row.Id} expired at {row.ExpiresAt:yyyy-MM-dd HH:mm} UTC",
            _ => null,
        };
        var task = row?.TaskId is { } tid ? tasks.Records.Get(tid) : null;
        if (problem is null && row!.TaskId is { } ownTask && (task is null || Cairn.Storage.Tasks.TaskStates.IsFinal(task.Status)))
        {
            problem = $"token {row.Id} is task {ownTask}'s, which {(task is null ? "no longer exists" : $"has ended ({task.Status})")}";
        }

        // A task's token may stand for no account (a task started from the command line, or with no users yet).
        var accountless = row is { TaskId: not null, UserId.Length: 0 };
        IdentityUser? user = row is null || accountless ? null : await db.Users.FirstOrDefaultAsync(u => u.Id == row.UserId, Context.RequestAborted);
        if (problem is null && !accountless && (user is null || user.LockoutEnd > clock.GetUtcNow()))
        {
            problem = $"token {row!.Id} belongs to a user who is removed or locked out";
        }

        if (problem is not null)
        {
            db.Audit.Add(new AuditRow { At = now, Actor = user?.UserName, Action = AuditActions.TokenRejected, Subject = row is null ? null : $"token {row.Id}", Detail = problem, RemoteAddress = remote });
            await db.SaveChangesAsync(Context.RequestAborted);
            return AuthenticateResult.Fail(problem);
        }

        var role = user is null ? [] : await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == user.Id select r.Name).ToListAsync(Context.RequestAborted);
        var userRole = accountless ? CairnRoles.Editor : role.OrderByDescending(CairnRoles.Rank).FirstOrDefault() ?? CairnRoles.Viewer;
        var cap = row!.Scope == TokenScopes.Write ? CairnRoles.Editor : CairnRoles.Viewer;
        var name = user?.UserName ?? task?.Author ?? $"task {row.TaskId}";
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user?.Id ?? $"task:{row.TaskId}"),
            new(ClaimTypes.Name, name),
            new(ClaimTypes.Role, CairnRoles.Min(userRole, cap)),
            new("cairn:token", row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (row.TaskId is { } taskId)
        {
            claims.Add(new Claim(CairnSchemes.TaskClaim, taskId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        // The latest use is kept to the minute: a write per request would cost more than the request.
        if (row.FirstUsedAt is null)
        {
            row.FirstUsedAt = now;
            db.Audit.Add(new AuditRow { At = now, Actor = name, Action = AuditActions.TokenFirstUse, Subject = $"token {row.Id}", Detail = row.Name, RemoteAddress = remote });
        }

        if (row.LastUsedAt is null || now - row.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            row.LastUsedAt = now;
            await db.SaveChangesAsync(Context.RequestAborted);
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, CairnSchemes.Token));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, CairnSchemes.Token));
    }

    /// <inheritdoc/>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Not signed in", result.Failure?.Message ?? "a bearer token is required");
    }

    /// <inheritdoc/>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", ForbiddenDetail(Context));

    /// <summary>Why a signed-in request was refused, in words.</summary>
    internal static string ForbiddenDetail(HttpContext http)
    {
        var role = http.User.FindFirst(ClaimTypes.Role)?.Value ?? "none";
        var viaToken = http.User.HasClaim(c => c.Type == "cairn:token");
        return $"{http.User.Identity?.Name} has role {role}{(viaToken ? " (as far as this token's scope allows)" : string.Empty)}, which may not {http.Request.Method} {http.Request.Path}";
    }
}
