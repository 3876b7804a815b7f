using System.ComponentModel;
using System.Globalization;
using Cairn.Server.Accounts;
using Cairn.Storage;
using Cairn.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cairn.Cli.Commands;

/// <summary>
/// `cairn user add|list|role|remove` and `cairn token create|list|revoke`: the home's users (ASP.NET Core Identity in
/// the catalog's database) and their personal access tokens. Whoever can run the CLI on the home owns its database, so
/// these commands need no sign-in.
/// </summary>
public static class AccountCommands
{
    /// <summary>Registers the user and token branches.</summary>
    public static void Register(IConfigurator c)
    {
        ArgumentNullException.ThrowIfNull(c);
        c.AddBranch("user", u =>
        {
            u.SetDescription("Add, list and remove users and set their roles (viewer, editor, admin); with no user the server runs in single-user mode on loopback");
            u.AddCommand<UserAdd>("add").WithDescription("Add a user (prompts for the password, or reads it from stdin with --password-stdin)").WithExample("user", "add", "ana", "--role", "admin").WithExample("user", "add", "bo", "--role", "viewer", "--password-stdin");
            u.AddCommand<UserList>("list").WithDescription("List users with their roles").WithExample("user", "list", "--json");
            u.AddCommand<UserRole>("role").WithDescription("Change a user's role").WithExample("user", "role", "bo", "editor");
            u.AddCommand<UserRemove>("remove").WithDescription("Remove a user and their tokens").WithExample("user", "remove", "bo");
        });
        c.AddBranch("token", t =>
        {
            t.SetDescription("Personal access tokens for the REST API (Authorization: Bearer), shown once, stored hashed");
            t.AddCommand<TokenCreate>("create").WithDescription("Create a token for a user; it is printed once").WithExample("token", "create", "--user", "ana", "--scope", "write", "--expires", "30d");
            t.AddCommand<TokenList>("list").WithDescription("List tokens (never the tokens themselves)").WithExample("token", "list", "--user", "ana");
            t.AddCommand<TokenRevoke>("revoke").WithDescription("Revoke a token by id").WithExample("token", "revoke", "3");
        });
    }

    /// <summary>The store's services with the accounts on top; dispose it.</summary>
    internal static ServiceProvider Open(CairnSettings settings) => CliContext.Open(settings, s => s.AddCairnAccounts());

    /// <summary>Options naming one user.</summary>
    public class UserSettings : CairnSettings
    {
        /// <summary>User name.</summary>
        [CommandArgument(0, "<name>")]
        [Description("User name (letters, digits and -._@+)")]
        public string Name { get; init; } = string.Empty;
    }

    /// <summary>`cairn user add`.</summary>
    public sealed class UserAdd : AsyncCommand<UserAdd.Settings>
    {
        /// <summary>Options.</summary>
        public sealed class Settings : UserSettings
        {
            /// <summary>Role.</summary>
            [CommandOption("--role <ROLE>")]
            [Description("viewer (read), editor (import, annotate, version, run) or admin (also users, delete, gc). Default: viewer")]
            public string Role { get; init; } = CairnRoles.Viewer;

            /// <summary>Read the password from stdin.</summary>
            [CommandOption("--password-stdin")]
            [Description("Read the password from the first line of standard input instead of prompting")]
            public bool PasswordStdin { get; init; }
        }

        /// <inheritdoc/>
        public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            if (!CairnRoles.IsValid(settings.Role))
            {
                return CliContext.Fail(settings, $"--role: expected viewer, editor or admin, got \"{settings.Role}\"", 2);
            }

            string password;
            if (settings.PasswordStdin)
            {
                password = (await Console.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r') ?? string.Empty;
            }
            else if (Console.IsInputRedirected)
            {
                return CliContext.Fail(settings, "no terminal to prompt for the password: pass --password-stdin and write it on standard input", 2);
            }
            else
            {
                password = AnsiConsole.Prompt(new TextPrompt<string>("Password:").Secret());
                if (AnsiConsole.Prompt(new TextPrompt<string>("Password again:").Secret()) != password)
                {
                    return CliContext.Fail(settings, "the two passwords differ");
                }
            }

            using var services = Open(settings);
            using var scope = services.CreateScope();
            var errors = await scope.ServiceProvider.GetRequiredService<AccountService>().AddAsync(settings.Name, password, settings.Role, Environment.UserName, cancellationToken);
            if (errors.Count > 0)
            {
                return CliContext.Fail(settings, $"user {settings.Name} not added: {string.Join(" ", errors)}");
            }

            if (settings.Json)
            {
                CliContext.PrintJson(new { name = settings.Name, role = settings.Role });
            }
            else
            {
                Console.Out.WriteLine($"added {settings.Name} ({settings.Role}); the server now requires sign-in");
            }

            return 0;
        }
    }

    /// <summary>`cairn user list`.</summary>
    public sealed class UserList : AsyncCommand<CairnSettings>
    {
        /// <inheritdoc/>
        public override async Task<int> ExecuteAsync(CommandContext context, CairnSettings settings, CancellationToken cancellationToken)
        {
            using var services = Open(settings);
            using var scope = services.CreateScope();
            var users = await scope.ServiceProvider.GetRequiredService<AccountService>().ListAsync(cancellationToken);
            if (settings.Json)
            {
                CliContext.PrintJson(users.Select(u => new { name = u.Name, role = u.Role, lockedOut = u.LockedOut }));
                return 0;
            }

            if (users.Count == 0)
            {
                Console.Out.WriteLine("no users: the server runs in single-user mode on loopback. `cairn user add NAME --role admin` to require sign-in.");
                return 0;
            }

            var table = new Table().AddColumns("user", "role", "state");
            foreach (var u in users)
            {
                table.AddRow(Markup.Escape(u.Name), u.Role, u.LockedOut ? "locked out" : "ok");
            }

            AnsiConsole.Write(table);
            return 0;
        }
    }

    /// <summary>`cairn user role`.</summary>
    public sealed class UserRole : AsyncCommand<UserRole.Settings>
    {
        /// <summary>Options.</summary>
        public sealed class Settings : UserSettings
        {
            /// <summary>The new role.</summary>
            [CommandArgument(1, "<role>")]
            [Description("viewer, editor or admin")]
            public string Role { get; init; } = string.Empty;
        }

        /// <inheritdoc/>
        public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            if (!CairnRoles.IsValid(settings.Role))
            {
                return CliContext.Fail(settings, $"<role>: expected viewer, editor or admin, got \"{settings.Role}\"", 2);
            }

            using var services = Open(settings);
            using var scope = services.CreateScope();
            if (!await scope.ServiceProvider.GetRequiredService<AccountService>().SetRoleAsync(settings.Name, settings.Role, Environment.UserName, cancellationToken))
            {
                return CliContext.Fail(settings, $"no user {settings.Name}. Run `cairn user list` to see the users.");
            }

            Console.Out.WriteLine($"{settings.Name} is now {settings.Role}");
            return 0;
        }
    }

    /// <summary>`cairn user remove`.</summary>
    public sealed class UserRemove : AsyncCommand<UserSettings>
    {
        /// <inheritdoc/>
        public override async Task<int> ExecuteAsync(CommandContext context, UserSettings settings, CancellationToken cancellationToken)
        {
            using var services = Open(settings);
            using var scope = services.CreateScope();
            if (!await scope.ServiceProvider.GetRequiredService<AccountService>().RemoveAsync(settings.Name, Environment.UserName, cancellationToken))
            {
                return CliContext.Fail(settings, $"no user {settings.Name}. Run `cairn user list` to see the users.");
            }

            Console.Out.WriteLine($"removed {settings.Name} and their tokens");
            return 0;
        }
    }

    /// <summary>`cairn token create`.</summary>
    public sealed class TokenCreate : AsyncCommand<TokenCreate.Settings>
    {
        /// <summary>Options.</summary>
        public sealed class Settings : CairnSettings
        {
            /// <summary>The owner.</summary>
            [CommandOption("--user <NAME>")]
            [Description("The user the token acts as (default: the only user, when there is one)")]
            public string? User { get; init; }

            /// <summary>Scope.</summary>
            [CommandOption("--scope <SCOPE>")]
            [Description("read (viewer's rights) or write (up to editor's; never admin). Default: read")]
            public string Scope { get; init; } = TokenScopes.Read;

            /// <summary>Lifetime.</summary>
            [CommandOption("--expires <AGE>")]
            [Description("Lifetime: 30d, 12h, 90m (at most 366d). Default: 30d")]
            public string Expires { get; init; } = "30d";

            /// <summary>Name.</summary>
            [CommandOption("--name <NAME>")]
            [Description("What the token is for (shown in lists)")]
            public string Name { get; init; } = "cli";
        }

        /// <inheritdoc/>
        public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            if (!TokenScopes.IsValid(settings.Scope))
            {
                return CliContext.Fail(settings, $"--scope: expected read or write, got \"{settings.Scope}\"", 2);
            }

            if (AccountService.ParseLifetime(settings.Expires) is not { } lifetime || lifetime > AccountService.MaxTokenLifetime)
            {
                return CliContext.Fail(settings, $"--expires: expected a lifetime such as 30d, 12h or 90m (at most 366d), got \"{settings.Expires}\"", 2);
            }

            using var services = Open(settings);
            using var scope = services.CreateScope();
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var user = settings.User;
            if (user is null)
            {
                var users = await accounts.ListAsync(cancellationToken);
                if (users.Count != 1)
                {
                    return CliContext.Fail(settings, users.Count == 0
                        ? "no users yet: tokens belong to users. `cairn user add NAME --role admin` first."
                        : $"--user: which user? ({string.Join(", ", users.Select(u => u.Name))})", 2);
                }

                user = users[0].Name;
            }

            if ((await accounts.ListAsync(cancellationToken)).All(u => u.Name != user))
            {
                return CliContext.Fail(settings, $"--user: no user {user}. Run `cairn user list` to see the users.");
            }

            var created = await accounts.CreateTokenAsync(user, settings.Name, settings.Scope, lifetime, null, cancellationToken);
            if (settings.Json)
            {
                CliContext.PrintJson(new { id = created.Id, token = created.Token, user, scope = created.Scope, expiresAt = created.ExpiresAt });
            }
            else
            {
                CliContext.Err.MarkupLine($"token {created.Id} for {Markup.Escape(user)} ({created.Scope}, expires {created.ExpiresAt:yyyy-MM-dd HH:mm} UTC); shown once:");
                Console.Out.WriteLine(created.Token);
            }

            return 0;
        }
    }

    /// <summary>`cairn token list`.</summary>
    public sealed class TokenList : AsyncCommand<TokenList.Settings>
    {
        /// <summary>Options.</summary>
        public sealed class Settings : CairnSettings
        {
            /// <summary>Only this user's.</summary>
            [CommandOption("--user <NAME>")]
            [Description("Only this user's tokens")]
            public string? User { get; init; }
        }

        /// <inheritdoc/>
        public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            using var services = Open(settings);
            using var scope = services.CreateScope();
            var tokens = await scope.ServiceProvider.GetRequiredService<AccountService>().TokensAsync(settings.User, cancellationToken);
            if (settings.Json)
            {
                CliContext.PrintJson(tokens);
                return 0;
            }

            var table = new Table().AddColumns("id", "user", "name", "scope", "expires", "last used", "state");
            foreach (var t in tokens)
            {
                table.AddRow(t.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(t.User), Markup.Escape(t.Name), t.Scope, $"{t.ExpiresAt:yyyy-MM-dd}", t.LastUsedAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "never", t.RevokedAt is not null ? "revoked" : t.ExpiresAt <= DateTime.UtcNow ? "expired" : "valid");
            }

            AnsiConsole.Write(table);
            return 0;
        }
    }

    /// <summary>`cairn token revoke`.</summary>
    public sealed class TokenRevoke : AsyncCommand<TokenRevoke.Settings>
    {
        /// <summary>Options.</summary>
        public sealed class Settings : CairnSettings
        {
            /// <summary>Token id.</summary>
            [CommandArgument(0, "<id>")]
            [Description("Token id (from `cairn token list`)")]
            public long Id { get; init; }
        }

        /// <inheritdoc/>
        public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            using var services = Open(settings);
            using var scope = services.CreateScope();
            if (!await scope.ServiceProvider.GetRequiredService<AccountService>().RevokeTokenAsync(settings.Id, null, Environment.UserName, cancellationToken))
            {
                return CliContext.Fail(settings, $"no valid token {settings.Id}. Run `cairn token list` to see the tokens.");
            }

            Console.Out.WriteLine($"revoked token {settings.Id}");
            return 0;
        }
    }
}
