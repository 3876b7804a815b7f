namespace Cairn.Cli.Native;

/// <summary>
/// The command lines the native front runs itself: a strict subset of the full CLI's syntax. Anything it does not
/// understand completely (help, unknown or repeated options, a missing value, `--`) is not an error here: the full
/// CLI gets the command line and answers it, errors included.
/// </summary>
internal sealed record FastCommandLine(string Command, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Options, bool Json)
{
    // command words -> (positional arguments, options taking a value, short aliases, flags); every command takes --json.
    private static readonly Dictionary<string, (int Arguments, string[] Options, (string Short, string Long)[] Aliases, string[] Flags)> Commands = new(StringComparer.Ordinal)
    {
        ["version create"] = (1, ["--title", "--description", "--author", "--home", "--catalog", "--store"], [], []),
        ["version diff"] = (2, ["--limit", "--home", "--catalog", "--store"], [], []),
        ["version list"] = (1, ["--home", "--catalog", "--store"], [], []),
        ["project list"] = (0, ["--home", "--catalog", "--store"], [], []),
        ["import"] = (2, ["--project", "--annotations", "--description", "--home", "--catalog", "--store"], [("-p", "--project")], ["--no-version"]),
        ["eval"] = (0, ["--gt", "--dt", "--iou-type", "--name"], [], []),
    };

    /// <summary>The value of option <paramref name="name"/> (e.g. "--home"), or null when not given.</summary>
    public string? Option(string name) => Options.TryGetValue(name, out var v) ? v : null;

    /// <summary>Whether flag <paramref name="name"/> (e.g. "--no-version") was given.</summary>
    public bool Flag(string name) => Options.ContainsKey(name);

    /// <summary>Parses <paramref name="args"/>; null when the full CLI should have them.</summary>
    public static FastCommandLine? TryParse(string[] args)
    {
        string command;
        if (args.Length >= 2 && Commands.ContainsKey(args[0] + " " + args[1]))
        {
            command = args[0] + " " + args[1];
        }
        else if (args.Length >= 1 && Commands.ContainsKey(args[0]))
        {
            command = args[0];
        }
        else
        {
            return null;
        }

        var shape = Commands[command];
        var arguments = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var json = false;
        for (var i = command.Count(c => c == ' ') + 1; i < args.Length; i++)
        {
            var a = args[i];
            foreach (var (shortName, longName) in shape.Aliases)
            {
                if (a == shortName)
                {
                    a = longName;
                }
            }

            if (!a.StartsWith('-'))
            {
                arguments.Add(a);
                continue;
            }

            if (a == "--json" || shape.Flags.Contains(a, StringComparer.Ordinal))
            {
                // Spectre reads `--json true` as the flag's value: leave such lines to it.
                if ((a == "--json" ? json : options.ContainsKey(a)) || (i + 1 < args.Length && bool.TryParse(args[i + 1], out _)))
                {
                    return null;
                }

                if (a == "--json")
                {
                    json = true;
                }
                else
                {
                    options[a] = string.Empty;
                }

                continue;
            }

            var eq = a.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? a : a[..eq];
            if (!shape.Options.Contains(name, StringComparer.Ordinal) || options.ContainsKey(name))
            {
                return null;
            }

            string value;
            if (eq >= 0)
            {
                value = a[(eq + 1)..];
            }
            else if (i + 1 < args.Length && !args[i + 1].StartsWith('-'))
            {
                value = args[++i];
            }
            else
            {
                return null;
            }

            options[name] = value;
        }

        return arguments.Count == shape.Arguments ? new FastCommandLine(command, arguments, options, json) : null;
    }
}
