using System.Net;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server;

/// <summary>
/// Which addresses the server may listen on: loopback always; any other address (0.0.0.0, a LAN address, a host name)
/// only once an admin user exists, so a fresh server is never open to a network without anyone who can sign in.
/// </summary>
public static class ListenPolicy
{
    /// <summary>
    /// Null when <paramref name="urls"/> (semicolon-separated) may be bound; else the message that refuses them.
    /// <paramref name="anyAdmin"/> is asked only when an address is not loopback.
    /// </summary>
    public static string? Refusal(string urls, Func<bool> anyAdmin)
    {
        ArgumentNullException.ThrowIfNull(anyAdmin);
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = Host(url);
            if (host is null || IsLoopback(host) || anyAdmin())
            {
                continue;
            }

            return $"refusing to listen on {host}: no admin user yet; create one with `cairn user add NAME --role admin`, or bind to 127.0.0.1 (--urls http://127.0.0.1:5180)";
        }

        return null;
    }

    /// <summary>True for localhost, 127.0.0.0/8 and ::1.</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    // The host part as Kestrel reads it ("*" and "+" mean every address); null for a Unix socket, which no network reaches.
    private static string? Host(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            // Kestrel refuses it when it starts, with its own message; nothing is bound meanwhile.
            return null;
        }

        return address.IsUnixPipe || address.IsNamedPipe ? null : address.Host;
    }
}
