using Cairn.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cairn.Server.Accounts;

/// <summary>Registers users, roles, tokens and the audit log (Identity's EF Core stores on the catalog's database).</summary>
public static class AccountsServices
{
    /// <summary>
    /// Identity's user manager over <see cref="AccountsDb"/> (password rules, lockout after 5 failures) and
    /// <see cref="AccountService"/>, and the issuer of tasks' own tokens (<see cref="TaskTokenIssuer"/>); needs the <see cref="CairnStore"/> registered (AddCairn does). The CLI uses this
    /// alone; the server adds sign-in and cookies on top (<see cref="AuthenticationSetup"/>).
    /// </summary>
    public static IdentityBuilder AddCairnAccounts(this IServiceCollection services)
    {
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new AccountsDatabase(sp.GetRequiredService<CairnStore>()));
        services.TryAddSingleton<UsersPresence>();
        services.AddScoped(sp => sp.GetRequiredService<AccountsDatabase>().Open());
        services.AddScoped<AccountService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Cairn.Tasks.ITaskTokenIssuer, TaskTokenIssuer>());
        return services.AddIdentityCore<IdentityUser>(o =>
            {
                // Length over composition rules (NIST SP 800-63B): at least 8 characters, any of them.
                o.Password.RequiredLength = 8;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AccountsDb>();
    }
}
