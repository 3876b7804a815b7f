using System.Text.Json;

namespace Cairn.Cli.Tests;

/// <summary>Runs the real `cairn` executable (copied next to the tests) in a child process.</summary>
public sealed class CliRunner : IDisposable
{
    private bool _catalogGiven;

    /// <summary>
    /// A runner on a home with its own SQLite catalog, or with <paramref name="postgres"/> on a fresh PostgreSQL
    /// database; with <paramref name="native"/>, every command goes through the native front (as ./cairn runs them),
    /// which hands what it does not run itself to the full CLI.
    /// </summary>
    public CliRunner(bool postgres = false, bool native = false)
    {
        Catalog = postgres ? Cairn.TestSupport.PostgresServer.CreateDatabase() : null;
        Native = native;
    }

    /// <summary>Whether commands start in the native front.</summary>
    public bool Native { get; }

    /// <summary>The full CLI next to the tests.</summary>
    public static string FullCliDll => Path.Combine(AppContext.BaseDirectory, "cairn.dll");

    /// <summary>The PostgreSQL catalog, passed with --catalog to the first command only: the home remembers it.</summary>
    public string? Catalog { get; }

    /// <summary>A fresh home for this runner.</summary>
    public string Home { get; } = Path.Combine(Path.GetTempPath(), "cairn-cli-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Runs cairn with <paramref name="args"/> (plus --home, unless they name one) and returns exit code, stdout and stderr.</summary>
    public CliResult Run(params string[] args) => RunWithInput(null, args);

    /// <summary>As <see cref="Run"/>, writing <paramref name="stdin"/> (when not null) to the command's standard input.</summary>
    public CliResult RunWithInput(string? stdin, params string[] args)
    {
        var argv = Native ? new List<string>() : [FullCliDll];
        argv.AddRange(args);
        if (args.Length > 0 && args[0] != "--help" && !args.Contains("--help") && !args.Contains("--home"))
        {
            argv.AddRange(["--home", Home]);
            if (Catalog is not null && !_catalogGiven)
            {
                argv.AddRange(["--catalog", Catalog]);
                _catalogGiven = true;
            }
        }

        using var p = Native
            ? new ChildProcess(NativeFront.Executable, argv, new Dictionary<string, string> { ["CAIRN_CLI_DLL"] = FullCliDll })
            : new ChildProcess("dotnet", argv, stdin: stdin);
        return p.Result();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Catalog is not null)
        {
            Cairn.TestSupport.PostgresServer.DropDatabase(Catalog);
        }

        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>What a cairn run printed.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout parsed as the one JSON document --json promises.</summary>
    public JsonElement Json()
    {
        using var doc = JsonDocument.Parse(Stdout);
        return doc.RootElement.Clone();
    }
}
