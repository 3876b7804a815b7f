using System.Diagnostics;

namespace Cairn.Cli.Tests;

/// <summary>A command run as a child process, its output captured; NO_COLOR set, so output is plain text.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly string _what;

    /// <summary>Starts <paramref name="file"/> with <paramref name="args"/> and extra <paramref name="environment"/> variables.</summary>
    public ChildProcess(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        _what = $"{Path.GetFileName(file)} {string.Join(' ', psi.ArgumentList)}";
        _process = Process.Start(psi)!;
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            _process.StandardInput.Write(stdin);
            _process.StandardInput.Close();
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/>; true when the process ended.</summary>
    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>Kills the process (SIGKILL) and waits for it to end.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>The exit code and output, once the process ends (killed and a TimeoutException after 3 minutes).</summary>
    public CliResult Result()
    {
        if (!_process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            Kill();
            throw new TimeoutException($"{_what} did not finish in 3 minutes");
        }

        return new CliResult(_process.ExitCode, _stdout.Result, _stderr.Result);
    }

    /// <inheritdoc/>
    public void Dispose() => _process.Dispose();
}
