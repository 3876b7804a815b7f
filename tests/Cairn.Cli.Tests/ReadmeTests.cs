namespace Cairn.Cli.Tests;

/// <summary>The README's tables match the repository a fresh clone has.</summary>
public sealed class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(SharedData.RepoRoot, "README.md"));

    [Fact]
    public void The_documentation_table_links_every_guide()
    {
        var missing = Directory.GetFiles(Path.Combine(SharedData.RepoRoot, "docs"), "*.md")
            .Select(f => $"docs/{Path.GetFileName(f)}")
            .Where(d => !Readme.Contains($"]({d})", StringComparison.Ordinal))
            .ToList();
        Assert.True(missing.Count == 0, "README.md's documentation table lacks " + string.Join(", ", missing));
    }

    [Fact]
    public void The_layout_table_names_every_project()
    {
        var missing = new[] { "src", "tests", "bench" }
            .SelectMany(top => Directory.GetDirectories(Path.Combine(SharedData.RepoRoot, top))
                .Where(d => Directory.GetFiles(d, "*.csproj").Length > 0)
                .Select(d => $"{top}/{Path.GetFileName(d)}"))
            .Where(p => !p.EndsWith(".Tests", StringComparison.Ordinal) && !Readme.Contains($"`{p}`", StringComparison.Ordinal))
            .ToList();
        Assert.True(missing.Count == 0, "README.md's layout table lacks " + string.Join(", ", missing));
    }
}
