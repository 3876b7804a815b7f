using System.Net;
using Cairn.Server.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Accounts;

/// <summary>
/// The server's sign-in: Identity's cookie for the UI, bearer tokens for the API, single-user mode on loopback while no
/// user exists; the three policies; antiforgery on form posts and a same-origin rule for the API.
/// </summary>
public static class AuthenticationSetup
{
    /// <summary>Registers accounts, schemes, policies, antiforgery and the data-protection keys (kept in the home's keys/ folder).</summary>
    public static IServiceCollection AddCairnAuthentication(this IServiceCollection services, string home, bool loopbackOnly)
    {
        services.AddCairnAccounts().AddSignInManager();
        services.AddSingleton(new ServerBinding(loopbackOnly));
        // The keys sign cookies and antiforgery tokens: readable by the home's owner only.
        var keys = Directory.CreateDirectory(Path.Combine(home, "keys"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keys.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        services.AddDataProtection()
            .SetApplicationName("cairn")
            .PersistKeysToFileSystem(keys);
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CairnSchemes.Selector;
                o.DefaultChallengeScheme = CairnSchemes.Selector;
                o.DefaultForbidScheme = CairnSchemes.Selector;
            })
            .AddPolicyScheme(CairnSchemes.Selector, "Cookie, bearer token or single-user mode", o =>
            {
                o.ForwardDefaultSelector = http =>
                    http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? CairnSchemes.Token
                    : http.Items.ContainsKey(CairnSchemes.SingleUserItem) ? CairnSchemes.Local
                    : IdentityConstants.ApplicationScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(CairnSchemes.Token, null)
            .AddScheme<AuthenticationSchemeOptions, LocalAdminHandler>(CairnSchemes.Local, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "cairn.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/login";
            o.ReturnUrlParameter = "returnUrl";
            o.ExpireTimeSpan = TimeSpan.FromDays(7);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = ctx => IsApi(ctx.Request)
                ? Problems.WriteAsync(ctx.HttpContext, StatusCodes.Status401Unauthorized, "Not signed in", "sign in (POST /login from the UI) or send `Authorization: Bearer <token>` (`cairn token create`)")
                : Redirect(ctx);
            o.Events.OnRedirectToAccessDenied = ctx => IsApi(ctx.Request)
                ? Problems.WriteAsync(ctx.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", TokenAuthenticationHandler.ForbiddenDetail(ctx.HttpContext))
                : ForbiddenPage(ctx.HttpContext);
        });
        // Role changes and removals reach signed-in sessions within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddAuthorizationBuilder()
            .AddPolicy(CairnPolicies.Read, p => p.RequireRole(CairnRoles.Viewer, CairnRoles.Editor, CairnRoles.Admin))
            .AddPolicy(CairnPolicies.Edit, p => p.RequireRole(CairnRoles.Editor, CairnRoles.Admin))
            .AddPolicy(CairnPolicies.Admin, p => p.RequireRole(CairnRoles.Admin));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "cairn.csrf";
            o.FormFieldName = FormFieldName;
            o.HeaderName = "X-CSRF-TOKEN";

            // SecurityHeaders sends X-Frame-Options: DENY (and frame-ancestors 'none'); antiforgery's SAMEORIGIN would win.
            o.SuppressXFrameOptionsHeader = true;
        });
        return services;
    }

    /// <summary>The hidden form field that carries the antiforgery token.</summary>
    public const string FormFieldName = "__RequestVerificationToken";

    /// <summary>Single-user mode, authentication, authorization, the cross-site guard: in that order.</summary>
    public static WebApplication UseCairnAuthentication(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var binding = http.RequestServices.GetRequiredService<ServerBinding>();
            if (binding.LoopbackOnly
                && http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
                && !await http.RequestServices.GetRequiredService<UsersPresence>().AnyAsync(http.RequestAborted))
            {
                http.Items[CairnSchemes.SingleUserItem] = true;
            }

            await next(http);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(TaskTokenGuard.InvokeAsync);
        // After authorization, so a request without the rights is told so (401, 403, the sign-in page) before its form is
        // looked at.
        app.Use(CrossSiteGuard);
        return app;
    }

    /// <summary>Whether every listen address is a loopback one (127.0.0.0/8, ::1, localhost).</summary>
    public static bool IsLoopbackOnly(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries).All(u =>
        {
            var host = Uri.TryCreate(u.Trim().Replace("://*", "://any", StringComparison.Ordinal).Replace("://+", "://any", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri.Host : string.Empty;
            return host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        });

    // Form posts (what a cross-site page can send without CORS) must carry the antiforgery token; any other write that a
    // browser sends must come from this origin. A bearer-token request is no browser's ambient credential: exempt.
    private static async Task CrossSiteGuard(HttpContext http, Func<Task> next)
    {
        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            await next();
            return;
        }

        if (!IsApi(request) && (request.HasFormContentType || IsPlainText(request)))
        {
            try
            {
                await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                await Problems.WriteAsync(http, StatusCodes.Status400BadRequest, "Missing or invalid antiforgery token",
                    $"form field {FormFieldName}: expected the token from the page that holds this form (a post from another site, or a stale page: reload it and submit again)");
                return;
            }
        }
        else if (IsCrossSite(request))
        {
            await Problems.WriteAsync(http, StatusCodes.Status403Forbidden, "Cross-site request refused",
                $"Origin {request.Headers.Origin}: the API accepts writes from this site's pages or with `Authorization: Bearer <token>`");
            return;
        }

        await next();
    }

    private static bool IsPlainText(HttpRequest r) => r.ContentType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) == true;

    private static bool IsCrossSite(HttpRequest r)
    {
        if (r.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site")
        {
            return true;
        }

        var origin = r.Headers.Origin.ToString();
        return origin.Length > 0 && (!Uri.TryCreate(origin, UriKind.Absolute, out var o) || !string.Equals(o.Authority, r.Host.Value, StringComparison.OrdinalIgnoreCase));
    }

    internal static bool IsApi(HttpRequest r) => r.Path.StartsWithSegments("/api", StringComparison.Ordinal);

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx)
    {
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    private static Task ForbiddenPage(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync(
            $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not allowed · Cairn</title><link rel=\"stylesheet\" href=\"/static/cairn.css\"></head><body><main><h1>Not allowed</h1><p>{Html.H(TokenAuthenticationHandler.ForbiddenDetail(http))}.</p><p>An admin can change your role (<code>cairn user role NAME editor</code>).</p><p><a href=\"/projects\">Back to projects</a> · <a href=\"/logout\">Sign in as someone else</a></p></main></body></html>");
    }
}

/// <summary>Whether the server listens on loopback addresses only (single-user mode is possible only then).</summary>
public sealed record ServerBinding(bool LoopbackOnly);
