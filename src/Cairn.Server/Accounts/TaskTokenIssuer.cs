using System.Net;
using Cairn.Storage.Catalog;
using Cairn.Tasks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Accounts;

/// <summary>
/// Gives a task's program a token of its own (<see cref="AccountService.CreateTaskTokenAsync"/>), revoked when the task
/// ends; in a server, also the server's own address (a task started from the UI talks back to the server that runs it).
/// </summary>
public sealed class TaskTokenIssuer(IServiceScopeFactory scopes, IServiceProvider services) : ITaskTokenIssuer
{
    /// <inheritdoc/>
    public async Task<IssuedTaskToken> IssueAsync(TaskRow task, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(task);
        CreatedToken created;
        await using (var scope = scopes.CreateAsyncScope())
        {
            created = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateTaskTokenAsync(task.Id, task.Author, ct).ConfigureAwait(false);
        }

        return new IssuedTaskToken(created.Token, OwnAddress(), async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AccountService>().RevokeTokenAsync(created.Id, null, task.Author, CancellationToken.None).ConfigureAwait(false);
        });
    }

    // The first address this process serves, with a wildcard host made loopback (the program runs on this machine).
    private string? OwnAddress()
    {
        var address = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null || !Uri.TryCreate(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return null;
        }

        var host = IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)) ? "127.0.0.1" : uri.Host;
        return new UriBuilder(uri) { Host = host }.Uri.ToString().TrimEnd('/');
    }
}
