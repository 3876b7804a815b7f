using Cairn.Storage.Catalog;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Storage.Tests.Catalog;

/// <summary>
/// A brand-new catalog is created from the embedded Catalog/schema.sql rather than by EF's migrator (faster first
/// start); the schema it makes must be exactly the migrator's, for the latest migration.
/// </summary>
public sealed class CatalogSchemaTests
{
    [Fact]
    public void The_embedded_schema_script_builds_what_the_migrations_build()
    {
        using var home = new TempHome(); // opened through the script
        var byScript = Schema(Path.Combine(home.Path, "catalog.db"));

        var file = Path.Combine(Path.GetTempPath(), "cairn-migrated-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            using (var db = new CatalogDb(new DbContextOptionsBuilder<CatalogDb>().UseSqlite($"Data Source={file};Pooling=false").Options))
            {
                db.Database.Migrate();
            }

            var byMigrator = Schema(file);
            Assert.Equal(byMigrator, byScript);
            Assert.Contains(byScript, line => line.Contains("CREATE TABLE \"items\"", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }

        // Both record the same latest migration, and the default workspace exists.
        using var conn = new SqliteConnection($"Data Source={Path.Combine(home.Path, "catalog.db")};Pooling=false");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId DESC LIMIT 1; ";
        var newest = NewestMigration(typeof(CatalogDb));
        Assert.Equal(CairnStore.LatestMigrationId, newest); // a new migration must update the constant
        Assert.Equal(newest, cmd.ExecuteScalar() as string);
        Assert.Equal(CairnStore.LatestPostgresMigrationId, NewestMigration(typeof(PostgresCatalogDb)));
        cmd.CommandText = "SELECT Name FROM workspaces";
        Assert.Equal("default", cmd.ExecuteScalar() as string);
    }

    // The newest migration id of a context type (each provider's migrations name their own context).
    private static string? NewestMigration(Type context) => typeof(CatalogDb).Assembly.GetTypes()
        .Where(t => typeof(Microsoft.EntityFrameworkCore.Migrations.Migration).IsAssignableFrom(t)
            && System.Reflection.CustomAttributeExtensions.GetCustomAttribute<Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute>(t)?.ContextType == context)
        .Select(t => System.Reflection.CustomAttributeExtensions.GetCustomAttribute<Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute>(t)?.Id)
        .Where(id => id is not null).Max(StringComparer.Ordinal);

    [Fact]
    public void The_postgres_migrations_match_the_model()
    {
        using var db = new PostgresCatalogDb(new DbContextOptionsBuilder<PostgresCatalogDb>().UseNpgsql("Host=localhost;Database=unused").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "the entities changed without a PostgreSQL migration: run `dotnet ef migrations add NAME --context PostgresCatalogDb --output-dir Catalog/PostgresMigrations --project src/Cairn.Storage`");
        Assert.Equal(CairnStore.LatestPostgresMigrationId, db.Database.GetMigrations().Last());
    }

    // __EFMigrationsLock is the migrator's own lock table (EF Core 9+), which it creates whenever it runs.
    private static List<string> Schema(string file)
    {
        using var conn = new SqliteConnection($"Data Source={file};Pooling=false");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT IN ('cairn_schema', 'sqlite_sequence', '__EFMigrationsLock') ORDER BY type, name";
        using var r = cmd.ExecuteReader();
        var lines = new List<string>();
        while (r.Read())
        {
            lines.Add($"{r.GetString(0)} {r.GetString(1)} {r.GetString(2)} {(r.IsDBNull(3) ? string.Empty : r.GetString(3))}");
        }

        return lines;
    }
}
