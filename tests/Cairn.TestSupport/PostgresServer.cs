using System.Diagnostics;
using Npgsql;

namespace Cairn.TestSupport;

/// <summary>
/// A real PostgreSQL server for the catalog tests, one per test run, and a fresh database per test.
/// CAIRN_TEST_POSTGRES names an existing server (a connection string whose user may create databases); otherwise a
/// private server is started from the installed binaries (Debian: <c>apt-get install postgresql</c>) in a temporary
/// folder, listening on a Unix socket only, and stopped when the test process exits.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<string> Admin = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static string CreateDatabase()
    {
        var name = "cairn_test_" + Guid.NewGuid().ToString("N")[..16];
        using (var conn = new NpgsqlConnection(Admin.Value))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = $"CREATE DATABASE {name}";
            cmd.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(Admin.Value) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabase"/>, closing its connections.</summary>
    public static void DropDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        using var conn = new NpgsqlConnection(Admin.Value);
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";
        cmd.ExecuteNonQuery();
    }

    private static string Start()
    {
        var given = Environment.GetEnvironmentVariable("CAIRN_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(given))
        {
            return new NpgsqlConnectionStringBuilder(given) { Database = "postgres" }.ConnectionString;
        }

        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "The PostgreSQL catalog tests need a PostgreSQL server: install one (Debian: apt-get install postgresql; its initdb " +
            "and pg_ctl are looked for in /usr/lib/postgresql/*/bin) or set CAIRN_TEST_POSTGRES to a connection string.");
        RemoveStaleServers();
        // The server's Unix socket lives in this folder, and socket paths are limited to 107 bytes: a long TMPDIR falls back to /tmp.
        var tmp = Path.GetTempPath().Length <= 60 ? Path.GetTempPath() : "/tmp";
        var dir = Path.Combine(tmp, $"cairn-pg-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(dir);
        var port = 20000 + Random.Shared.Next(20000);

        // initdb refuses to run as root: then the server runs as the postgres user the package created.
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            Run("chown", ["postgres:postgres", dir], asRoot: false);
        }

        Run(Path.Combine(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"], asRoot);
        Run(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(dir, "log"), "-w", "-t", "60", "-o", $"-k {dir} -p {port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start"], asRoot);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Run(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"], asRoot);
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception)
            {
                // The next test run removes what is left (RemoveStaleServers).
            }
        };

        return new NpgsqlConnectionStringBuilder { Host = dir, Port = port, Username = "postgres", Database = "postgres", Pooling = true }.ConnectionString;
    }

    private static string? FindBinaries()
    {
        var root = new DirectoryInfo("/usr/lib/postgresql");
        if (!root.Exists)
        {
            return null;
        }

        return root.EnumerateDirectories()
            .Where(d => File.Exists(Path.Combine(d.FullName, "bin", "initdb")))
            .OrderByDescending(d => int.TryParse(d.Name, out var v) ? v : 0)
            .Select(d => Path.Combine(d.FullName, "bin"))
            .FirstOrDefault();
    }

    // Servers left by test processes that were killed: stop them and remove their folders.
    private static void RemoveStaleServers()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), "cairn-pg-*").Concat(Path.GetTempPath().Length <= 60 ? [] : Directory.EnumerateDirectories("/tmp", "cairn-pg-*")))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length < 3 || !int.TryParse(parts[2], out var pid) || ProcessAlive(pid))
            {
                continue;
            }

            try
            {
                var pidFile = Path.Combine(dir, "data", "postmaster.pid");
                if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var server) && ProcessAlive(server))
                {
                    Process.GetProcessById(server).Kill();
                }

                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }
    }

    private static bool ProcessAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Run(string file, string[] args, bool asRoot)
    {
        var psi = asRoot ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. args]) : new ProcessStartInfo(file, args);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr} {stdout.Result}");
        }
    }
}
