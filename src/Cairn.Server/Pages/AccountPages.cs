using System.Globalization;
using System.Text;
using Cairn.Server.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using static Cairn.Server.Pages.Html;

namespace Cairn.Server.Pages;

/// <summary>Sign-in, sign-out, first-run set-up, personal access tokens and the audit log.</summary>
public static class AccountPages
{
    /// <summary>Maps /login, /logout, /setup, /account/tokens and /admin/audit.</summary>
    public static IEndpointRouteBuilder MapAccountPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (string? returnUrl) => LoginForm(returnUrl, null, 200)).ExcludeFromDescription().AllowAnonymous();
        app.MapPost("/login", Login).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/logout", () => Page("Sign out", [("Sign out", null)], "<h1>Sign out</h1><form method=\"post\" action=\"/logout\" id=\"logout-form\"><button>Sign out</button></form>"))
            .ExcludeFromDescription().AllowAnonymous();
        app.MapPost("/logout", async (SignInManager<IdentityUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.Redirect("/login");
        }).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/setup", async (UsersPresence presence, CancellationToken ct) =>
            await presence.AnyAsync(ct) ? Results.Redirect("/login") : SetupForm(null, 200)).ExcludeFromDescription().AllowAnonymous();
        app.MapPost("/setup", Setup).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/account/tokens", TokensPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapPost("/account/tokens", CreateToken).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapPost("/account/tokens/{id:long}/revoke", RevokeToken).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Read);
        app.MapGet("/admin/audit", AuditPage).ExcludeFromDescription().RequireAuthorization(CairnPolicies.Admin);
        return app;
    }

    private static IResult LoginForm(string? returnUrl, string? error, int status)
    {
        var sb = new StringBuilder("<h1>Sign in</h1>");
        if (error is not null)
        {
            sb.Append($"<p class=\"error\" id=\"login-error\">{H(error)}</p>");
        }

        sb.Append("<form method=\"post\" action=\"/login\" id=\"login-form\" class=\"stack\">");
        sb.Append($"<input type=\"hidden\" name=\"returnUrl\" value=\"{H(returnUrl)}\">");
        sb.Append("<label>User <input name=\"username\" autocomplete=\"username\" required autofocus></label>");
        sb.Append("<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>");
        sb.Append("<button>Sign in</button></form>");
        return Page("Sign in", [("Sign in", null)], sb.ToString(), statusCode: status);
    }

    private static async Task<IResult> Login(HttpRequest request, SignInManager<IdentityUser> signIn, AccountService accounts)
    {
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var name = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        var remote = request.HttpContext.Connection.RemoteIpAddress?.ToString();
        if (name.Length == 0 || password.Length == 0)
        {
            return LoginForm(returnUrl, name.Length == 0 ? "User: enter your user name." : "Password: enter your password.", 400);
        }

        var result = await signIn.PasswordSignInAsync(name, password, isPersistent: true, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            var why = result.IsLockedOut ? "locked out after 5 failed sign-ins" : result.IsNotAllowed ? "not allowed" : "wrong user name or password";
            await accounts.AuditAsync(name, AuditActions.LoginFailed, $"user {name}", why, remote, request.HttpContext.RequestAborted);
            return LoginForm(returnUrl, result.IsLockedOut
                ? "This account is locked after 5 failed sign-ins; try again in 15 minutes, or ask an admin."
                : "Wrong user name or password.", 401);
        }

        await accounts.AuditAsync(name, AuditActions.Login, $"user {name}", null, remote, request.HttpContext.RequestAborted);
        // Only a local path: an absolute address here would let a link send a user who just signed in elsewhere.
        return Results.Redirect(IsLocal(returnUrl) ? returnUrl : "/projects");
    }

    private static bool IsLocal(string url) => url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private static IResult SetupForm(string? error, int status)
    {
        var sb = new StringBuilder("<h1>Set up Cairn</h1><p>No user exists yet. Create the first admin; from then on everyone signs in.</p>");
        if (error is not null)
        {
            sb.Append($"<p class=\"error\" id=\"setup-error\">{H(error)}</p>");
        }

        sb.Append("<form method=\"post\" action=\"/setup\" id=\"setup-form\" class=\"stack\">");
        sb.Append("<label>Admin user <input name=\"username\" autocomplete=\"username\" required autofocus></label>");
        sb.Append("<label>Password (8 characters or more) <input name=\"password\" type=\"password\" autocomplete=\"new-password\" required minlength=\"8\"></label>");
        sb.Append("<label>Password again <input name=\"confirm\" type=\"password\" autocomplete=\"new-password\" required></label>");
        sb.Append("<button>Create admin</button></form>");
        return Page("Set up", [("Set up", null)], sb.ToString(), statusCode: status);
    }

    private static async Task<IResult> Setup(HttpRequest request, UsersPresence presence, AccountService accounts, SignInManager<IdentityUser> signIn)
    {
        var ct = request.HttpContext.RequestAborted;
        if (await presence.AnyAsync(ct))
        {
            return Page("Set up", [("Set up", null)], "<h1>Already set up</h1><p class=\"error\">Users exist: the first admin can only be created once. <a href=\"/login\">Sign in</a>.</p>", statusCode: 409);
        }

        var form = await request.ReadFormAsync(ct);
        var name = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        if (password != form["confirm"].ToString())
        {
            return SetupForm("Password again: the two passwords differ.", 400);
        }

        var errors = await accounts.AddAsync(name, password, CairnRoles.Admin, "setup", ct);
        if (errors.Count > 0)
        {
            return SetupForm(string.Join(" ", errors), 400);
        }

        await signIn.PasswordSignInAsync(name, password, isPersistent: true, lockoutOnFailure: false);
        return Results.Redirect("/projects");
    }

    private static async Task<IResult> TokensPage(HttpContext http, AccountService accounts) => await Tokens(http, accounts, null, null);

    private static async Task<IResult> Tokens(HttpContext http, AccountService accounts, string? created, string? error, int status = 200)
    {
        var sb = new StringBuilder("<h1>Personal access tokens</h1>");
        var name = http.User.Identity?.Name;
        if (http.Items.ContainsKey(CairnSchemes.SingleUserItem))
        {
            sb.Append("<p>Single-user mode: tokens belong to users, and there are none yet. <a href=\"/setup\">Create the first admin</a> (or <code>cairn user add</code>).</p>");
            return Page("Tokens", [("Tokens", null)], sb.ToString());
        }

        if (created is not null)
        {
            sb.Append($"<div class=\"notice\" id=\"new-token\"><p>Your new token — copy it now, it is not shown again:</p><p><code>{H(created)}</code></p><p class=\"muted\">Send it as <code>Authorization: Bearer &lt;token&gt;</code>.</p></div>");
        }

        if (error is not null)
        {
            sb.Append($"<p class=\"error\" id=\"token-error\">{H(error)}</p>");
        }

        sb.Append("<form method=\"post\" action=\"/account/tokens\" id=\"token-form\" class=\"inline\"><input name=\"name\" placeholder=\"what it is for\" required> ");
        sb.Append("<select name=\"scope\"><option value=\"read\">read</option><option value=\"write\">write</option></select> ");
        sb.Append("<select name=\"expires\"><option value=\"7d\">7 days</option><option value=\"30d\" selected>30 days</option><option value=\"90d\">90 days</option><option value=\"365d\">a year</option></select> ");
        sb.Append("<button>Create token</button></form>");
        sb.Append("<table class=\"grid\" id=\"tokens\"><thead><tr><th>Id</th><th>Name</th><th>Scope</th><th>Created</th><th>Expires</th><th>Last used</th><th></th></tr></thead><tbody>");
        foreach (var t in await accounts.TokensAsync(name, http.RequestAborted))
        {
            var state = t.RevokedAt is not null ? "revoked" : t.ExpiresAt <= DateTime.UtcNow ? "expired" : null;
            sb.Append($"<tr><td>{t.Id}</td><td>{H(t.Name)}{(t.TaskId is { } task ? $" <span class=\"muted\">task {task}</span>" : string.Empty)}</td><td>{H(t.Scope)}</td><td>{t.CreatedAt:yyyy-MM-dd}</td><td>{t.ExpiresAt:yyyy-MM-dd}</td><td>{t.LastUsedAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "never"}</td>");
            sb.Append(state is not null
                ? $"<td class=\"muted\">{state}</td></tr>"
                : $"<td><form method=\"post\" action=\"/account/tokens/{t.Id}/revoke\" class=\"inline\"><button class=\"secondary\">Revoke</button></form></td></tr>");
        }

        sb.Append("</tbody></table>");
        return Page("Tokens", [("Tokens", null)], sb.ToString(), statusCode: status);
    }

    private static async Task<IResult> CreateToken(HttpContext http, AccountService accounts)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var name = http.User.Identity?.Name;
        if (name is null || http.Items.ContainsKey(CairnSchemes.SingleUserItem))
        {
            return await Tokens(http, accounts, null, "Tokens belong to users; there are none yet.", 400);
        }

        var scope = form["scope"].ToString();
        if (!TokenScopes.IsValid(scope))
        {
            return await Tokens(http, accounts, null, $"Scope: expected read or write, got \"{scope}\".", 400);
        }

        if (AccountService.ParseLifetime(form["expires"].ToString()) is not { } lifetime || lifetime > AccountService.MaxTokenLifetime)
        {
            return await Tokens(http, accounts, null, $"Expires: expected a number of days such as 30d (at most 366d), got \"{form["expires"]}\".", 400);
        }

        var created = await accounts.CreateTokenAsync(name, form["name"].ToString(), scope, lifetime, null, http.RequestAborted);
        return await Tokens(http, accounts, created.Token, null);
    }

    private static async Task<IResult> RevokeToken(long id, HttpContext http, AccountService accounts)
    {
        var name = http.User.Identity?.Name;
        if (name is null || !await accounts.RevokeTokenAsync(id, name, name, http.RequestAborted))
        {
            return await Tokens(http, accounts, null, $"Token {id}: you have no such token that is still valid.", 404);
        }

        return Results.Redirect("/account/tokens");
    }

    private static async Task<IResult> AuditPage(AccountService accounts, int? take, CancellationToken ct)
    {
        var sb = new StringBuilder("<h1>Audit log</h1><table class=\"grid\" id=\"audit\"><thead><tr><th>When (UTC)</th><th>Who</th><th>What</th><th>Subject</th><th>Detail</th><th>From</th></tr></thead><tbody>");
        foreach (var a in await accounts.AuditLogAsync(Math.Clamp(take ?? 500, 1, 5000), ct))
        {
            sb.Append($"<tr><td>{a.At:yyyy-MM-dd HH:mm:ss}</td><td>{H(a.Actor)}</td><td>{H(a.Action)}</td><td>{H(a.Subject)}</td><td>{H(a.Detail)}</td><td>{H(a.RemoteAddress)}</td></tr>");
        }

        sb.Append("</tbody></table>");
        return Page("Audit log", [("Audit log", null)], sb.ToString());
    }
}
