using Cairn.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Accounts;

/// <summary>
/// Opens <see cref="AccountsDb"/> contexts on a store's catalog database (SQLite file or PostgreSQL) and brings its
/// schema up to date once per process.
/// </summary>
public sealed class AccountsDatabase
{
    private readonly CairnStore _store;
    private readonly DbContextOptions _options;
    private readonly Lazy<bool> _migrated;

    /// <summary>The accounts database of <paramref name="store"/>.</summary>
    public AccountsDatabase(CairnStore store)
    {
        _store = store;
        _options = store.Provider == CatalogProvider.Postgres
            ? new DbContextOptionsBuilder<PostgresAccountsDb>().UseNpgsql(store.ConnectionString, o => o.MigrationsHistoryTable(AccountsDb.HistoryTable)).Options
            : new DbContextOptionsBuilder<AccountsDb>().UseSqlite(SqliteWithTimeout(store.ConnectionString), o => o.MigrationsHistoryTable(AccountsDb.HistoryTable)).Options;
        _migrated = new(() =>
        {
            using var db = New();
            db.Database.Migrate();
            return true;
        });
    }

    /// <summary>The store whose database this is.</summary>
    public CairnStore Store => _store;

    /// <summary>A new context on a migrated schema; dispose it.</summary>
    public AccountsDb Open()
    {
        _ = _migrated.Value;
        return New();
    }

    private AccountsDb New() => _store.Provider == CatalogProvider.Postgres
        ? new PostgresAccountsDb((DbContextOptions<PostgresAccountsDb>)_options)
        : new AccountsDb((DbContextOptions<AccountsDb>)_options);

    // The catalog's writers (an import) may hold SQLite's lock for a while: wait for it as the catalog's own connections do.
    private static string SqliteWithTimeout(string cs) =>
        new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(cs) { DefaultTimeout = 60 }.ToString();
}
