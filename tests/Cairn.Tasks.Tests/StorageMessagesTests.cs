using System.Text.RegularExpressions;
using Cairn.TestSupport;

namespace Cairn.Tasks.Tests;

/// <summary>
/// Storage throws typed errors with data; the fronts (CliErrors for both CLI fronts, CairnExceptionHandler for the server)
/// word the remedy for their users. So no string in Storage tells the user a `cairn` command or a command-line flag.
/// </summary>
public sealed partial class StorageMessagesTests
{
    // A string literal (plain or interpolated) naming a cairn command or a --flag.
    [GeneratedRegex("\"[^\"]*(`cairn |\\s--[a-z])")]
    private static partial Regex FrontWording();

    [Fact]
    public void Storage_strings_name_no_cli_command_or_flag()
    {
        var storage = Path.Combine(SharedData.RepoRoot, "src", "Cairn.Storage");
        var files = Directory.EnumerateFiles(storage, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("Migrations", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        var offenders = (from file in files
                         from line in File.ReadLines(file).Select((text, i) => (text, n: i + 1))
                         let code = line.text.TrimStart()
                         where !code.StartsWith("//", StringComparison.Ordinal) && FrontWording().IsMatch(code)
                         select $"{Path.GetRelativePath(SharedData.RepoRoot, file)}:{line.n}: {code}").ToList();
        Assert.True(offenders.Count == 0, "Storage words a remedy for one front (throw a typed error with data; word it in CliErrors or CairnExceptionHandler):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_pattern_catches_front_wording()
    {
        Assert.Matches(FrontWording(), "throw new X($\"object {id} is missing. Run `cairn fsck` to list it\");");
        Assert.Matches(FrontWording(), "\"choose another name with --project\"");
        Assert.DoesNotMatch(FrontWording(), "\"object {id} is missing from the object store\"");
    }
}
