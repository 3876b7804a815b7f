using Cairn.Storage.Catalog;
using Cairn.Storage.Objects;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Storage;

/// <summary>
/// One Cairn home: the catalog database and the object store. Cheap to keep for the process lifetime;
/// hands out a short-lived <see cref="CatalogDb"/> per unit of work.
/// </summary>
public sealed class CairnStore : IDisposable
{
    // Built on first use: EF Core's options alone cost a command that only uses plain SQL (see OpenConnection) a few
    // hundred JIT compilations.
    private readonly Lazy<DbContextOptions<CatalogDb>> _options;

    private CairnStore(string home, string connectionString, LocalObjectStore objects, TimeProvider clock)
    {
        Home = home;
        ConnectionString = connectionString;
        _options = new(() => new DbContextOptionsBuilder<CatalogDb>().UseSqlite(connectionString, o => o.CommandTimeout(120)).Options);
        Objects = objects;
        Clock = clock;
    }

    /// <summary>The home folder.</summary>
    public string Home { get; }

    /// <summary>The content-addressed object store.</summary>
    public LocalObjectStore Objects { get; }

    /// <summary>The clock every write stamps its time from.</summary>
    public TimeProvider Clock { get; }

    /// <summary>
    /// Versions of datasets with at least this many items record their changes as a delta over the previous tree
    /// instead of rewriting its leaves (<see cref="Snapshots.DatasetTree"/>); <see cref="int.MaxValue"/> turns deltas off.
    /// </summary>
    public int DeltaMinItems { get; set; } = Snapshots.DatasetTree.DefaultDeltaMinItems;

    /// <summary>The catalog connection string (SQLite file).</summary>
    public string ConnectionString { get; }

    /// <summary>Resolves the home folder: explicit argument, then CAIRN_HOME, then ./.cairn.</summary>
    public static string ResolveHome(string? explicitHome) =>
        Path.GetFullPath(explicitHome ?? Environment.GetEnvironmentVariable("CAIRN_HOME") ?? ".cairn");

    /// <summary>Opens (creating and migrating when needed) the store in <paramref name="home"/>.</summary>
    public static CairnStore Open(string home, TimeProvider? clock = null)
    {
        home = Path.GetFullPath(home);
        Directory.CreateDirectory(home);
        var cs = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(home, "catalog.db"),
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
        var store = new CairnStore(home, cs, new LocalObjectStore(Path.Combine(home, "objects")), clock ?? TimeProvider.System);
        store.Migrate();
        return store;
    }

    /// <summary>A new catalog context; dispose it after the unit of work.</summary>
    public CatalogDb Catalog()
    {
        var db = new CatalogDb(_options.Value);
        var conn = db.Database.GetDbConnection();
        conn.Open();
        Configure(conn);
        return db;
    }

    /// <summary>
    /// An open catalog connection without EF Core, for the hot paths of short commands (import, version create):
    /// building EF's services and compiling its first queries costs more there than the work itself. Dispose it.
    /// </summary>
    public System.Data.Common.DbConnection OpenConnection()
    {
        var conn = new SqliteConnection(ConnectionString);
        conn.Open();
        Configure(conn);
        return conn;
    }

    private static void Configure(System.Data.Common.DbConnection conn)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout=60000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
        cmd.ExecuteNonQuery();
    }

    /// <summary>UTC now from the store's clock.</summary>
    public DateTime UtcNow => Clock.GetUtcNow().UtcDateTime;

    private void Migrate()
    {
        // A plain connection first: EF Core is only built when the migrator has work to do.
        using var conn = new SqliteConnection(ConnectionString);
        conn.Open();
        using (var cmd = conn.CreateCommand())
        {
            // WAL lets readers (the web UI) work while a writer (an import) runs.
            cmd.CommandText = "PRAGMA journal_mode=WAL;";
            cmd.ExecuteNonQuery();
        }

        // Applying migrations means building the EF model and reading the history table: most of a CLI command's
        // start-up. The latest migration's id is kept in a small table of our own, so a current catalog skips it.
        // The latest id is a constant (LatestMigrationId), not GetMigrations(): that builds EF's services.
        var latest = LatestMigrationId;
        if (ReadSchemaMark(conn) == latest)
        {
            return;
        }

        if (!CreateFromScript(conn, latest))
        {
            using var db = new CatalogDb(_options.Value);
            db.Database.Migrate();
        }

        WriteSchemaMark(conn, latest);

        // The default workspace, once (raw SQL: an EF query and save here would cost more than the schema).
        using (var cmd = Sql.Command(conn, null, "INSERT INTO workspaces (Name, Description, CreatedAt) SELECT 'default', 'The default workspace', $now WHERE NOT EXISTS (SELECT 1 FROM workspaces);", ("$now", UtcNow)))
        {
            try
            {
                cmd.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // Another process created it at the same moment (the name is unique).
            }
        }
    }

    // A brand-new catalog gets the whole schema from the embedded script (Catalog/schema.sql) instead of EF's migrator.
    // False when the catalog is not empty (or another process created it meanwhile): the migrator then does the work.
    private static bool CreateFromScript(System.Data.Common.DbConnection conn, string latest)
    {
        using (var count = conn.CreateCommand())
        {
            count.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name <> 'cairn_schema';";
            if (Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0)
            {
                return false;
            }
        }

        var script = SchemaScript.Value;
        if (!script.Contains($"'{latest}'", StringComparison.Ordinal))
        {
            return false; // behind the migrations (a test fails too): let the migrator build the schema
        }

        try
        {
            using var cmd = conn.CreateCommand();
            cmd.CommandText = script;
            cmd.ExecuteNonQuery();
        }
        catch (SqliteException) when (HasTable(conn, "__EFMigrationsHistory"))
        {
            // Another process created the schema first.
            return false;
        }

        return true;
    }

    private static bool HasTable(System.Data.Common.DbConnection conn, string name) =>
        Convert.ToInt64(Sql.Scalar(conn, null, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $n;", ("$n", name)), System.Globalization.CultureInfo.InvariantCulture) > 0;

    private static readonly Lazy<string> SchemaScript = new(() =>
    {
        using var s = typeof(CairnStore).Assembly.GetManifestResourceStream("Cairn.Storage.schema.sql")
            ?? throw new InvalidOperationException("Cairn.Storage.schema.sql is not embedded");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    });

    /// <summary>
    /// The id of the newest migration in Catalog/Migrations. A constant, because finding it by reflection over the
    /// assembly's types cost every command several milliseconds; CatalogSchemaTests checks it against the migrations.
    /// </summary>
    internal const string LatestMigrationId = "20261127001328_Initial";

    private static string? ReadSchemaMark(System.Data.Common.DbConnection conn)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE type='table' AND name='cairn_schema'";
        if (cmd.ExecuteScalar() is null)
        {
            return null;
        }

        cmd.CommandText = "SELECT migration FROM cairn_schema LIMIT 1";
        return cmd.ExecuteScalar() as string;
    }

    private static void WriteSchemaMark(System.Data.Common.DbConnection conn, string latest)
    {
        using var cmd = Sql.Command(conn, null, "CREATE TABLE IF NOT EXISTS cairn_schema (migration TEXT NOT NULL); DELETE FROM cairn_schema; INSERT INTO cairn_schema (migration) VALUES ($m);", ("$m", latest));
        cmd.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public void Dispose() => SqliteConnection.ClearAllPools();
}
