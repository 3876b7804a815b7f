using Cairn.Server.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Cli.Commands;

/// <summary>
/// The command line's entries in the home's audit log (deletions, restores, gc), under the OS user's name: what changes a
/// home shows on the server's audit page whichever front did it.
/// </summary>
internal static class CliAudit
{
    /// <summary>Services for a command that audits: the home's plus its accounts.</summary>
    public static ServiceProvider Open(CairnSettings settings) => CliContext.Open(settings, s => s.AddCairnAccounts());

    /// <summary>Records one entry.</summary>
    public static void Record(IServiceProvider services, string action, string subject, string? detail)
    {
        using var scope = services.CreateScope();
        scope.ServiceProvider.GetRequiredService<AccountService>()
            .AuditAsync(Environment.UserName, action, subject, detail is null ? "command line" : $"{detail} (command line)", null)
            .GetAwaiter().GetResult();
    }
}
