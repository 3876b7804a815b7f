using Cairn.Storage.Catalog;
using Cairn.Storage.Objects;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cairn.Storage;

/// <summary>Where a home's catalog lives.</summary>
public enum CatalogProvider
{
    /// <summary>An embedded SQLite file, <c>catalog.db</c> in the home (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (several servers and workers can share it).</summary>
    Postgres,
}

/// <summary>
/// One Cairn home: the catalog database and the object store. Cheap to keep for the process lifetime;
/// hands out a short-lived <see cref="CatalogDb"/> per unit of work.
/// </summary>
public sealed class CairnStore : IDisposable
{
    // Built on first use: EF Core's options alone cost a command that only uses plain SQL (see OpenConnection) a few
    // hundred JIT compilations.
    private readonly Lazy<DbContextOptions> _options;

    private CairnStore(string home, CatalogProvider provider, string connectionString, IObjectStore objects, TimeProvider clock)
    {
        Home = home;
        Provider = provider;
        ConnectionString = connectionString;
        _options = provider == CatalogProvider.Postgres
            ? new(() => new DbContextOptionsBuilder<PostgresCatalogDb>().UseNpgsql(connectionString, o => o.CommandTimeout(120)).Options)
            : new(() => new DbContextOptionsBuilder<CatalogDb>().UseSqlite(connectionString, o => o.CommandTimeout(120)).Options);
        Objects = objects;
        Clock = clock;
    }

    /// <summary>The file in a home that names its PostgreSQL catalog (absent: the home's own SQLite file).</summary>
    public const string CatalogFile = "catalog.conf";

    /// <summary>The home folder.</summary>
    public string Home { get; }

    /// <summary>The file in a home that names its S3 object store (absent: the home's own objects folder).</summary>
    public const string StoreFile = "store.conf";

    /// <summary>The content-addressed object store: the home's objects folder, or the S3 bucket it recorded.</summary>
    public IObjectStore Objects { get; }

    /// <summary>The clock every write stamps its time from.</summary>
    public TimeProvider Clock { get; }

    /// <summary>
    /// Versions of datasets with at least this many items record their changes as a delta over the previous tree
    /// instead of rewriting its leaves (<see cref="Snapshots.DatasetTree"/>); <see cref="int.MaxValue"/> turns deltas off.
    /// </summary>
    public int DeltaMinItems { get; set; } = Snapshots.DatasetTree.DefaultDeltaMinItems;

    /// <summary>The catalog's database.</summary>
    public CatalogProvider Provider { get; }

    /// <summary>The catalog connection string (the SQLite file, or the PostgreSQL database).</summary>
    public string ConnectionString { get; }

    /// <summary>Resolves the home folder: explicit argument, then CAIRN_HOME, then ./.cairn.</summary>
    public static string ResolveHome(string? explicitHome) =>
        Path.GetFullPath(explicitHome ?? Environment.GetEnvironmentVariable("CAIRN_HOME") ?? ".cairn");

    /// <summary>
    /// Opens (creating and migrating when needed) the store in <paramref name="home"/>. The catalog is
    /// <paramref name="catalog"/> when given (a PostgreSQL connection string, e.g. <c>Host=db;Database=cairn;Username=cairn</c>),
    /// else CAIRN_CATALOG, else what the home recorded in <see cref="CatalogFile"/> when it was created on PostgreSQL,
    /// else the home's own SQLite file. A home stays with the catalog it was created with.
    /// </summary>
    /// <remarks>
    /// The object store is <paramref name="objectStore"/> when given (<c>s3://bucket/prefix?endpoint=…</c>, or
    /// <c>local</c>), else CAIRN_STORE, else what the home recorded in <see cref="StoreFile"/>, else the home's objects
    /// folder. A home stays with the store it was created with (<see cref="StoreConfigurationException"/> otherwise).
    /// </remarks>
    public static CairnStore Open(string home, TimeProvider? clock = null, string? catalog = null, string? objectStore = null)
    {
        var (store, recorded) = Create(home, clock, catalog, objectStore);
        store.Migrate();
        if (store.Provider == CatalogProvider.Postgres && !recorded)
        {
            // It may hold a password: readable by its owner only (or keep the password in PGPASSWORD or ~/.pgpass).
            var file = Path.Combine(store.Home, CatalogFile);
            File.WriteAllText(file, store.ConnectionString + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return store;
    }

    /// <summary>
    /// Opens a home as <see cref="Open"/> does, but without EF Core's migrator: an existing catalog whose schema is
    /// current (SQLite or PostgreSQL), or a new home on SQLite, created from the schema script. Null when the catalog
    /// needs the migrator (a new PostgreSQL catalog, or one behind the migrations); nothing was written then, except
    /// the home folder and, for a brand-new SQLite home, an empty catalog file for the migrator to fill. The native CLI
    /// front (Cairn.Cli.Native) opens homes this way: it runs without EF Core.
    /// </summary>
    public static CairnStore? OpenWithoutMigrator(string home, TimeProvider? clock = null, string? catalog = null, string? objectStore = null)
    {
        var (store, recorded) = Create(home, clock, catalog, objectStore);
        if (store.Provider == CatalogProvider.Sqlite ? store.MigrateSqlite(allowMigrator: false) : recorded && store.PostgresIsCurrent())
        {
            return store;
        }

        store.Dispose();
        return null;
    }

    // The store for a home and its catalog (not opened yet), and whether the home has recorded a PostgreSQL catalog.
    private static (CairnStore Store, bool Recorded) Create(string home, TimeProvider? clock, string? catalog, string? objectStore)
    {
        home = Path.GetFullPath(home);
        Directory.CreateDirectory(home);
        var (provider, cs, recorded) = ResolveCatalog(home, catalog ?? Environment.GetEnvironmentVariable("CAIRN_CATALOG"));
        var (location, record) = ResolveStore(home, objectStore ?? Environment.GetEnvironmentVariable("CAIRN_STORE"));
        IObjectStore objects = location is null
            ? new LocalObjectStore(Path.Combine(home, "objects"))
            : S3ObjectStore.Open(location, Path.Combine(home, "s3-scratch"));
        if (record)
        {
            // Recorded once the bucket answered: a mistyped endpoint is not remembered.
            File.WriteAllText(Path.Combine(home, StoreFile), location + "\n");
        }

        return (new CairnStore(home, provider, cs, objects, clock ?? TimeProvider.System), recorded);
    }

    // The S3 store to open (null: the home's objects folder), and whether a new home must record it in StoreFile. The
    // file holds the location only: credentials come from the AWS chain and are never written by Cairn.
    private static (S3StoreLocation? Location, bool Record) ResolveStore(string home, string? asked)
    {
        var recordedFile = Path.Combine(home, StoreFile);
        var recordedText = File.Exists(recordedFile) ? File.ReadAllText(recordedFile).Trim() : null;
        S3StoreLocation? recorded = null;
        if (recordedText is not null)
        {
            try
            {
                recorded = S3StoreLocation.Parse(recordedText, recordedFile);
            }
            catch (FormatException e)
            {
                throw new StoreConfigurationException(StoreProblem.NotAStoreLocation, e.Message, recordedFile, e);
            }
        }

        if (string.IsNullOrWhiteSpace(asked))
        {
            return (recorded, false);
        }

        if (asked.Equals("local", StringComparison.OrdinalIgnoreCase))
        {
            return recorded is null ? (null, false)
                : throw new StoreConfigurationException(StoreProblem.RecordedStoreNotAsked, $"{home}: this home's objects are in {recorded} (recorded in {recordedFile}), not in its own folder", recordedFile);
        }

        S3StoreLocation location;
        try
        {
            location = S3StoreLocation.Parse(asked.Trim(), "the object store asked for");
        }
        catch (FormatException e)
        {
            throw new StoreConfigurationException(StoreProblem.NotAStoreLocation, e.Message, null, e);
        }

        if (recorded is not null)
        {
            // Presigning is how the server hands images out, not where objects are: asked again with another
            // presign setting, the home records the new one.
            return recorded.ToString() == location.ToString() ? (recorded, false)
                : recorded.SameObjects(location) ? (location, true)
                : throw new StoreConfigurationException(StoreProblem.RecordedStoreNotAsked, $"{home}: this home's objects are in {recorded} (recorded in {recordedFile}), not in {location}; its catalog references objects there", recordedFile);
        }

        // A home that already has a catalog keeps its objects where they are.
        if (File.Exists(Path.Combine(home, "catalog.db")) || File.Exists(Path.Combine(home, CatalogFile)))
        {
            throw new StoreConfigurationException(StoreProblem.LocalCannotSwitch, $"{home}: this home's objects are in its own folder ({Path.Combine(home, "objects")}); it cannot switch to {location}");
        }

        return (location, true);
    }

    // The catalog to open, and whether the home has recorded it already.
    private static (CatalogProvider Provider, string ConnectionString, bool Recorded) ResolveCatalog(string home, string? asked)
    {
        var recordedFile = Path.Combine(home, CatalogFile);
        var recorded = File.Exists(recordedFile) ? File.ReadAllText(recordedFile).Trim() : null;
        var sqliteFile = Path.Combine(home, "catalog.db");
        if (string.IsNullOrWhiteSpace(asked) || asked.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            if (recorded is not null && string.IsNullOrWhiteSpace(asked))
            {
                return (CatalogProvider.Postgres, Postgres(recorded, recordedFile), true);
            }

            if (recorded is not null)
            {
                throw new CatalogConfigurationException(CatalogProblem.RecordedPostgresNotSqlite, $"{home}: this home's catalog is the PostgreSQL database named in {recordedFile}, not SQLite", recordedFile);
            }

            return (CatalogProvider.Sqlite, SqliteConnectionString(sqliteFile), false);
        }

        var cs = Postgres(asked, null);
        if (recorded is not null && Postgres(recorded, recordedFile) != cs)
        {
            throw new CatalogConfigurationException(CatalogProblem.RecordedPostgresNotAsked, $"{home}: this home's catalog is the PostgreSQL database named in {recordedFile}, not '{Redacted(cs)}'; its objects belong to that catalog", recordedFile);
        }

        if (recorded is null && File.Exists(sqliteFile))
        {
            throw new CatalogConfigurationException(CatalogProblem.SqliteCannotSwitch, $"{home}: this home's catalog is its SQLite file ({sqliteFile}); it cannot switch to PostgreSQL");
        }

        return (CatalogProvider.Postgres, cs, recorded is not null);
    }

    private static string SqliteConnectionString(string file) => new SqliteConnectionStringBuilder { DataSource = file, Pooling = true, DefaultTimeout = 60 }.ToString();

    // A PostgreSQL connection string, normalised; a clear error naming where it came from (the file, or null: asked for) when it is not one.
    private static string Postgres(string text, string? recordedIn)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(text);
            if (string.IsNullOrEmpty(b.Host))
            {
                throw new ArgumentException("no Host");
            }

            return b.ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new CatalogConfigurationException(CatalogProblem.NotAConnectionString, $"{recordedIn ?? "the catalog asked for"}: '{text}' is not a PostgreSQL connection string ({e.Message}); expected e.g. Host=localhost;Database=cairn;Username=cairn", recordedIn, e);
        }
    }

    private static string Redacted(string cs)
    {
        var b = new NpgsqlConnectionStringBuilder(cs);
        if (!string.IsNullOrEmpty(b.Password))
        {
            b.Password = "***";
        }

        return b.ConnectionString;
    }

    /// <summary>A new catalog context; dispose it after the unit of work.</summary>
    public CatalogDb Catalog()
    {
        CatalogDb db = Provider == CatalogProvider.Postgres
            ? new PostgresCatalogDb((DbContextOptions<PostgresCatalogDb>)_options.Value)
            : new CatalogDb((DbContextOptions<CatalogDb>)_options.Value);
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
        System.Data.Common.DbConnection conn = Provider == CatalogProvider.Postgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
        conn.Open();
        Configure(conn);
        return conn;
    }

    private void Configure(System.Data.Common.DbConnection conn)
    {
        if (Provider != CatalogProvider.Sqlite)
        {
            return;
        }

        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout=60000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// UTC now from the store's clock, in whole microseconds: PostgreSQL keeps no finer time, and a row returned by a
    /// write must equal the row read back.
    /// </summary>
    public DateTime UtcNow
    {
        get
        {
            var t = Clock.GetUtcNow().UtcDateTime;
            return t.AddTicks(-(t.Ticks % TimeSpan.TicksPerMicrosecond));
        }
    }

    private void Migrate()
    {
        if (Provider == CatalogProvider.Postgres)
        {
            MigratePostgres();
            return;
        }

        MigrateSqlite(allowMigrator: true);
    }

    // False when the catalog needs EF's migrator and it is not allowed (nothing was changed then, except that a brand-new
    // catalog file may exist, still empty, for the migrator to fill).
    private bool MigrateSqlite(bool allowMigrator)
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
        if (ReadSchemaMark(conn, "SELECT name FROM sqlite_master WHERE type='table' AND name='cairn_schema'") == latest)
        {
            return true;
        }

        if (!CreateFromScript(conn, latest))
        {
            if (!allowMigrator)
            {
                return false;
            }

            using var db = Catalog();
            db.Database.Migrate();
        }

        WriteSchemaMark(conn, latest);
        AddDefaultWorkspace(conn);
        return true;
    }

    private bool PostgresIsCurrent()
    {
        using var conn = new NpgsqlConnection(ConnectionString);
        conn.Open();
        return PostgresIsCurrent(conn);
    }

    private static bool PostgresIsCurrent(NpgsqlConnection conn) =>
        ReadSchemaMark(conn, "SELECT to_regclass('cairn_schema')::text") == LatestPostgresMigrationId;

    // PostgreSQL: EF's migrator (it holds an advisory lock, so concurrent first opens wait for each other), skipped
    // when the schema mark says the catalog is current.
    private void MigratePostgres()
    {
        using var conn = new NpgsqlConnection(ConnectionString);
        conn.Open();
        if (PostgresIsCurrent(conn))
        {
            return;
        }

        using (var db = Catalog())
        {
            db.Database.Migrate();
        }

        WriteSchemaMark(conn, LatestPostgresMigrationId);
        AddDefaultWorkspace(conn);
    }

    // The default workspace, once (raw SQL: an EF query and save here would cost more than the schema).
    private void AddDefaultWorkspace(System.Data.Common.DbConnection conn)
    {
        using var cmd = Sql.Command(conn, null, "INSERT INTO workspaces (Name, Description, CreatedAt) SELECT 'default', 'The default workspace', @now WHERE NOT EXISTS (SELECT 1 FROM workspaces)", ("@now", UtcNow));
        try
        {
            cmd.ExecuteNonQuery();
        }
        catch (System.Data.Common.DbException)
        {
            // Another process created it at the same moment (the name is unique).
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
        Convert.ToInt64(Sql.Scalar(conn, null, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @n;", ("@n", name)), System.Globalization.CultureInfo.InvariantCulture) > 0;

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
    internal const string LatestMigrationId = "20261205141619_TaskAuthorAndItemEditor";

    /// <summary>The same for Catalog/PostgresMigrations.</summary>
    internal const string LatestPostgresMigrationId = "20261205150144_TaskAuthorAndItemEditorPostgres";

    // The migration id recorded in cairn_schema, or null when the table does not exist (tableQuery answers null then).
    private static string? ReadSchemaMark(System.Data.Common.DbConnection conn, string tableQuery)
    {
        if (Sql.Scalar(conn, null, tableQuery) is null)
        {
            return null;
        }

        return Sql.Scalar(conn, null, "SELECT migration FROM cairn_schema LIMIT 1") as string;
    }

    private static void WriteSchemaMark(System.Data.Common.DbConnection conn, string latest)
    {
        using var cmd = Sql.Command(conn, null, "CREATE TABLE IF NOT EXISTS cairn_schema (migration TEXT NOT NULL); DELETE FROM cairn_schema; INSERT INTO cairn_schema (migration) VALUES (@m);", ("@m", latest));
        cmd.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        (Objects as IDisposable)?.Dispose();
        if (Provider == CatalogProvider.Postgres)
        {
            using var conn = new NpgsqlConnection(ConnectionString);
            NpgsqlConnection.ClearPool(conn);
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
    }
}
