using System.Text.RegularExpressions;

namespace Cairn.Cli.Tests;

public sealed partial class HelpTests
{
    [Fact]
    public void Every_command_has_help_with_an_example()
    {
        using var cli = new CliRunner();
        var top = cli.Run("--help");
        Assert.Equal(0, top.ExitCode);
        var commands = Commands(top.Stdout);
        Assert.Contains("serve", commands);
        Assert.Contains("import", commands);
        Assert.Contains("project", commands);
        foreach (var c in commands)
        {
            var help = cli.Run(c, "--help");
            Assert.True(help.ExitCode == 0, $"cairn {c} --help failed: {help.Stderr}");
            var sub = Commands(help.Stdout);
            if (sub.Count == 0)
            {
                Assert.True(help.Stdout.Contains("EXAMPLES:", StringComparison.Ordinal), $"cairn {c} --help shows no example");
            }

            foreach (var s in sub)
            {
                var subHelp = cli.Run(c, s, "--help");
                Assert.True(subHelp.ExitCode == 0, $"cairn {c} {s} --help failed: {subHelp.Stderr}");
                Assert.True(subHelp.Stdout.Contains("EXAMPLES:", StringComparison.Ordinal), $"cairn {c} {s} --help shows no example");
            }
        }
    }

    private static List<string> Commands(string help)
    {
        var at = help.IndexOf("COMMANDS:", StringComparison.Ordinal);
        if (at < 0)
        {
            return [];
        }

        return CommandLine().Matches(help[at..]).Select(m => m.Groups[1].Value).Distinct().ToList();
    }

    [GeneratedRegex(@"^    ([a-z][a-z0-9-]*)\b", RegexOptions.Multiline)]
    private static partial Regex CommandLine();
}
