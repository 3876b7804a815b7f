using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Accounts;

/// <summary>Who a request acts as, for authorship and the audit log.</summary>
public static class RequestUser
{
    /// <summary>
    /// The author a write records: the signed-in user's name. In single-user mode (no users) a client may still name the
    /// author itself (<paramref name="claimed"/>), as before users existed; otherwise the signed-in name wins, so history
    /// cannot be written in someone else's name.
    /// </summary>
    public static string Author(HttpContext http, string? claimed = null)
    {
        var name = http.User.Identity?.Name;
        if (http.Items.ContainsKey(CairnSchemes.SingleUserItem) || string.IsNullOrEmpty(name))
        {
            return claimed ?? name ?? "web";
        }

        return name;
    }

    /// <summary>Records an audit entry for the request's user.</summary>
    public static Task AuditAsync(this HttpContext http, string action, string subject, string? detail = null) =>
        http.RequestServices.GetRequiredService<AccountService>().AuditAsync(
            http.User.Identity?.Name, action, subject, detail, http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
}
