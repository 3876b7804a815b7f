using System.Text.RegularExpressions;
using Cairn.Server.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Pages;

/// <summary>
/// A rendered page, finished when written: every <c>&lt;form method="post"&gt;</c> gets the antiforgery token as a hidden
/// field (so no form can be rendered without one), and the header shows who is signed in.
/// </summary>
public sealed partial class PageResult(string html, int statusCode) : IResult
{
    /// <summary>Where <see cref="Html.Page"/> leaves room for the signed-in user.</summary>
    internal const string UserMarker = "<!--cairn:user-->";

    /// <summary>The page's HTML before the token and the user are put in.</summary>
    public string Html => html;

    /// <inheritdoc/>
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var text = html;
        if (PostForm().IsMatch(text))
        {
            var tokens = httpContext.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(httpContext);
            var field = $"<input type=\"hidden\" name=\"{Pages.Html.H(tokens.FormFieldName)}\" value=\"{Pages.Html.H(tokens.RequestToken)}\">";
            text = PostForm().Replace(text, m => m.Value + field);
        }

        text = text.Replace(UserMarker, UserBox(httpContext), StringComparison.Ordinal);
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "text/html; charset=utf-8";
        await httpContext.Response.WriteAsync(text, httpContext.RequestAborted);
    }

    private static string UserBox(HttpContext http)
    {
        if (http.Items.ContainsKey(CairnSchemes.SingleUserItem))
        {
            return "<div class=\"user\" id=\"user\"><span class=\"muted\" title=\"No users yet: every local request is the admin. `cairn user add` or Set up sign-in to require sign-in.\">single-user mode</span> <a href=\"/setup\">Set up sign-in</a></div>";
        }

        if (http.User.Identity?.IsAuthenticated != true)
        {
            return "<div class=\"user\" id=\"user\"><a href=\"/login\">Sign in</a></div>";
        }

        var role = http.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value;
        var admin = role == CairnRoles.Admin ? " <a href=\"/admin/audit\">Audit</a>" : string.Empty;
        return $"<div class=\"user\" id=\"user\"><span>{Pages.Html.H(http.User.Identity.Name)}</span> <span class=\"muted\">{Pages.Html.H(role)}</span> <a href=\"/account/tokens\">Tokens</a>{admin} <a href=\"/logout\">Sign out</a></div>";
    }

    [GeneratedRegex("<form\\b[^>]*\\bmethod=\"post\"[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex PostForm();
}
