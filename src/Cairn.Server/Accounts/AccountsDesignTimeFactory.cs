using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Cairn.Server.Accounts;

/// <summary>Lets `dotnet ef migrations add --context AccountsDb` build the context without a running host.</summary>
public sealed class AccountsDesignTimeFactory : IDesignTimeDbContextFactory<AccountsDb>
{
    /// <inheritdoc/>
    public AccountsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AccountsDb>().UseSqlite("Data Source=design.db", o => o.MigrationsHistoryTable(AccountsDb.HistoryTable)).Options);
}

/// <summary>Lets `dotnet ef migrations add --context PostgresAccountsDb` build the context without a server.</summary>
public sealed class PostgresAccountsDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAccountsDb>
{
    /// <inheritdoc/>
    public PostgresAccountsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAccountsDb>().UseNpgsql("Host=localhost;Database=cairn_design", o => o.MigrationsHistoryTable(AccountsDb.HistoryTable)).Options);
}
