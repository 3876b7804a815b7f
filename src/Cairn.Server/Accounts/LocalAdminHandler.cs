using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Accounts;

/// <summary>
/// Single-user mode: the request is the local admin, named as the operating-system user the server runs as (the name
/// the CLI records as author). Only selected when no user exists and the server listens on loopback only.
/// </summary>
public sealed class LocalAdminHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <inheritdoc/>
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, Environment.UserName), new Claim(ClaimTypes.Role, CairnRoles.Admin)],
            CairnSchemes.Local);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), CairnSchemes.Local)));
    }
}
