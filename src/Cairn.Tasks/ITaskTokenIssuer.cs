using Cairn.Storage.Catalog;

namespace Cairn.Tasks;

/// <summary>
/// Issues the bearer token a task's program talks to the API with (CAIRN_TOKEN): valid for that task only, only while it
/// runs. The server's accounts implement it; where none is registered, a program gets the caller's CAIRN_TOKEN as before.
/// </summary>
public interface ITaskTokenIssuer
{
    /// <summary>A token scoped to <paramref name="task"/>; disposing it revokes it.</summary>
    Task<IssuedTaskToken> IssueAsync(TaskRow task, CancellationToken ct);
}

/// <summary>
/// A task's token: the secret to hand to its program, the API it is good for when the issuer serves one itself (a server
/// running the task: its own address), and how to revoke it when the task ends.
/// </summary>
public sealed class IssuedTaskToken(string token, string? api, Func<Task> revoke) : IAsyncDisposable
{
    private Func<Task>? _revoke = revoke;

    /// <summary>The bearer token.</summary>
    public string Token { get; } = token;

    /// <summary>The API address of the process that issued it, or null.</summary>
    public string? Api { get; } = api;

    /// <summary>Revokes the token (once).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _revoke, null) is { } revoke)
        {
            await revoke().ConfigureAwait(false);
        }
    }
}
