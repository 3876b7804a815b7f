using System.Xml.Linq;
using Cairn.TestSupport;

namespace Cairn.Tasks.Tests;

/// <summary>
/// The project references between src/ projects are exactly the ones docs/architecture.md draws ("Allowed project
/// references"): a new arrow needs its row and its reason there, and a row whose reference is gone must go too.
/// </summary>
public sealed class ProjectReferenceTests
{
    [Fact]
    public void Every_project_reference_is_in_the_architecture_table_and_every_row_is_a_reference()
    {
        var drawn = Drawn();
        var actual = Actual();
        var undrawn = actual.Except(drawn).Select(r => $"{r.From} -> {r.To}").ToList();
        var stale = drawn.Except(actual).Select(r => $"{r.From} -> {r.To}").ToList();
        Assert.True(undrawn.Count == 0, "references missing from docs/architecture.md's table (add the row and why): " + string.Join(", ", undrawn));
        Assert.True(stale.Count == 0, "rows in docs/architecture.md's table that no project file has: " + string.Join(", ", stale));
    }

    [Fact]
    public void The_table_and_the_project_files_are_read()
    {
        // A parser that found nothing would make the test above pass vacuously.
        Assert.Contains(("Cairn.Storage", "Cairn.Core"), Drawn());
        Assert.Contains(("Cairn.Storage", "Cairn.Core"), Actual());
        Assert.True(Actual().Count >= 10);
    }

    private static HashSet<(string From, string To)> Drawn()
    {
        var text = File.ReadAllText(Path.Combine(SharedData.RepoRoot, "docs", "architecture.md"));
        var begin = text.IndexOf("<!-- references:begin -->", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- references:end -->", StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/architecture.md: the references table markers are missing");
        return [.. text[begin..end].Split('\n')
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Where(c => c.Length > 3 && c[1].StartsWith("Cairn.", StringComparison.Ordinal))
            .Select(c => (c[1], c[2]))];
    }

    private static HashSet<(string From, string To)> Actual()
    {
        var src = Path.Combine(SharedData.RepoRoot, "src");
        return [.. from project in Directory.EnumerateFiles(src, "*.csproj", SearchOption.AllDirectories)
            from reference in XDocument.Load(project).Descendants("ProjectReference")
            select (Path.GetFileNameWithoutExtension(project), Path.GetFileNameWithoutExtension((string)reference.Attribute("Include")!))];
    }
}
