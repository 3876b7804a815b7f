namespace Cairn.Cli.Native;

/// <summary>
/// The options every command takes (--home, --catalog, --store, --json) may come before the command too, as git's -C and
/// docker's -H do: `cairn --home X import ...`. Both CLIs move them behind the command before parsing.
/// </summary>
public static class GlobalOptions
{
    private static readonly string[] WithValue = ["--home", "--catalog", "--store"];

    /// <summary>
    /// <paramref name="args"/> with the leading global options moved to the end of the command's own options (before a
    /// `--` that starts a program's arguments); the same array when there are none.
    /// </summary>
    public static string[] Hoist(string[] args)
    {
        var i = 0;
        while (i < args.Length)
        {
            var a = args[i];
            if (a == "--json" || WithValue.Any(o => a.StartsWith(o + "=", StringComparison.Ordinal)))
            {
                i++;
            }
            else if (WithValue.Contains(a, StringComparer.Ordinal) && i + 1 < args.Length)
            {
                i += 2;
            }
            else
            {
                break;
            }
        }

        if (i == 0)
        {
            return args;
        }

        var rest = args[i..].ToList();
        var end = rest.IndexOf("--");
        rest.InsertRange(end < 0 ? rest.Count : end, args[..i]);
        return [.. rest];
    }
}
