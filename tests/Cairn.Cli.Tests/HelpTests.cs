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

    [Fact]
    public void An_unknown_option_is_refused_and_names_itself()
    {
        using var cli = new CliRunner();
        Assert.Equal(0, cli.Run("import", "coco", Cairn.TestSupport.SharedData.Resolve("tiny-coco"), "--project", "t", "--annotations", "annotations/instances_val2017.json", "--no-version").ExitCode);

        // A typo must not pass silently: `--titel` would otherwise make a version without its title.
        var typo = cli.Run("version", "create", "t", "--titel", "first");
        Assert.Equal(2, typo.ExitCode);
        Assert.Equal("error: Unknown option 'titel'. Run `cairn --help` or `cairn <command> --help`.", typo.Stderr.Trim());
        Assert.Equal(0, cli.Run("version", "list", "t", "--json").Json().GetProperty("versions").GetArrayLength());
        Assert.Equal(2, cli.Run("import", "coco", Cairn.TestSupport.SharedData.Resolve("tiny-coco"), "--project", "u", "-x").ExitCode);
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
