using System.Diagnostics;
using System.Runtime.InteropServices;
using Cairn.TestSupport;

namespace Cairn.Cli.Tests;

/// <summary>
/// The native front (src/Cairn.Cli.Native), published with native AOT once per test run, as the launcher publishes it:
/// the tests run the real executable.
/// </summary>
public static class NativeFront
{
    private static readonly Lazy<string> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The published executable.</summary>
    public static string Executable => Published.Value;

    private static string Publish()
    {
        var output = Path.Combine(AppContext.BaseDirectory, "native-front");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "publish", Path.Combine(SharedData.RepoRoot, "src", "Cairn.Cli.Native", "Cairn.Cli.Native.csproj"), "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-o", output, "--nologo", "-v", "quiet", "-clp:ErrorsOnly" })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // About two minutes on a quiet two-core machine; the native compiler shares the cores with the other tests of the
        // assembly, and under outside load it took over ten, so the bound is generous (it only stops a hung compiler).
        if (!p.WaitForExit(TimeSpan.FromMinutes(25)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("publishing the native front took over 25 minutes");
        }

        var exe = Path.Combine(output, "cairn-native");
        if (p.ExitCode != 0 || !File.Exists(exe))
        {
            throw new InvalidOperationException($"publishing the native front failed (exit {p.ExitCode}); native AOT needs a C toolchain (gcc or clang):\n{stdout.Result}\n{stderr.Result}");
        }

        return exe;
    }
}
