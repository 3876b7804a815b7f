using System.Runtime.InteropServices;

namespace Cairn.Cli.Native;

/// <summary>Hands a command line to the full CLI (cairn.dll on the shared .NET runtime), replacing this process.</summary>
internal static partial class ManagedCli
{
    /// <summary>The environment variable naming the full CLI's cairn.dll (the launcher sets it).</summary>
    public const string DllVariable = "CAIRN_CLI_DLL";

    /// <summary>
    /// Execs <c>dotnet cairn.dll args...</c>: same process id, standard streams and environment, and its exit code
    /// becomes this command's. Returns only when the exec failed (after saying why).
    /// </summary>
    public static int Exec(string[] args)
    {
        var dll = Environment.GetEnvironmentVariable(DllVariable);
        if (string.IsNullOrEmpty(dll))
        {
            dll = Path.Combine(AppContext.BaseDirectory, "cairn.dll");
        }

        if (!File.Exists(dll))
        {
            Console.Error.WriteLine($"error: the full CLI ({dll}) is missing: run Cairn through its launcher (./cairn), which builds it, or set {DllVariable} to its cairn.dll.");
            return 70;
        }

        var argv = new string[args.Length + 2];
        argv[0] = "dotnet";
        argv[1] = dll;
        args.CopyTo(argv, 2);
        var pointers = new nint[argv.Length + 1];
        try
        {
            for (var i = 0; i < argv.Length; i++)
            {
                pointers[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
            }

            Console.Out.Flush();
            Console.Error.Flush();
            ExecVp("dotnet", pointers);
            var errno = Marshal.GetLastPInvokeError();
            Console.Error.WriteLine($"error: could not start the full CLI (dotnet {dll}): {Marshal.GetPInvokeErrorMessage(errno)}. Check that the .NET SDK's `dotnet` is on PATH.");
            return 70;
        }
        finally
        {
            foreach (var p in pointers)
            {
                Marshal.FreeCoTaskMem(p);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "execvp", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ExecVp(string file, nint[] argv);
}
