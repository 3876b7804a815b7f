using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Accounts;

/// <summary>The accounts context on PostgreSQL: the same model as <see cref="AccountsDb"/>; migrations in Accounts/PostgresMigrations.</summary>
public sealed class PostgresAccountsDb(DbContextOptions<PostgresAccountsDb> options) : AccountsDb(options);
