using System.Diagnostics;
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

    /// <summary>Runs cairn with <paramref name="args"/> (plus --home) and returns exit code, stdout and stderr.</summary>
    public CliResult Run(params string[] args)
    {
        var psi = new ProcessStartInfo(Native ? NativeFront.Executable : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Native)
        {
            psi.Environment["CAIRN_CLI_DLL"] = FullCliDll;
        }
        else
        {
            psi.ArgumentList.Add(FullCliDll);
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (args.Length > 0 && args[0] != "--help" && !args.Contains("--help"))
        {
            psi.ArgumentList.Add("--home");
            psi.ArgumentList.Add(Home);
            if (Catalog is not null && !_catalogGiven)
            {
                psi.ArgumentList.Add("--catalog");
                psi.ArgumentList.Add(Catalog);
                _catalogGiven = true;
            }
        }

        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"cairn {string.Join(' ', args)} did not finish in 3 minutes");
        }

        return new CliResult(p.ExitCode, stdout.Result, stderr.Result);
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
