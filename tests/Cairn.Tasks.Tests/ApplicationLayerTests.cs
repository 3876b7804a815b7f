using System.Text.RegularExpressions;
using Cairn.TestSupport;

namespace Cairn.Tasks.Tests;

/// <summary>
/// One application layer: the catalog is queried only inside Cairn.Storage, and application services are constructed only
/// by Storage and the composition roots (CairnServices.AddCairn, the CLI's CliContext.Open, the native-AOT front), never by
/// the endpoints, pages, commands and operations that use them.
/// </summary>
public sealed partial class ApplicationLayerTests
{
    // Every query lives in Storage: no exceptions.
    private static readonly string[] CatalogAllowed = [];

    private static readonly string[] ConstructionAllowed =
    [
        // Composition roots.
        "src/Cairn.Tasks/CairnServices.cs",
        "src/Cairn.Cli/Commands/CliContext.cs",
        "src/Cairn.Cli.Native/",
    ];

    [GeneratedRegex(@"\.Catalog\(\)")]
    private static partial Regex CatalogCall();

    [GeneratedRegex(@"\bnew\s+(?:[\w.]+\.)?(ProjectService|VersionService|VersionCreator|VersionBrowser|VersionDiffer|VersionRestorer|ImportService|ProjectImporter|FileService|ModelRegistry|EvaluationService|BenchmarkRunner|PredictRunner|TaskService|GraphBuilder)\s*\(")]
    private static partial Regex ServiceConstruction();

    [Fact]
    public void Only_storage_opens_the_catalog()
    {
        var offenders = Scan(CatalogCall(), CatalogAllowed);
        Assert.True(offenders.Count == 0, "store.Catalog() outside src/Cairn.Storage (put the query in a Storage records class):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Only_storage_and_the_composition_roots_construct_application_services()
    {
        var offenders = Scan(ServiceConstruction(), ConstructionAllowed);
        Assert.True(offenders.Count == 0, "application services constructed outside Storage and the composition roots (take them from the container, CairnServices.AddCairn):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_scan_sees_the_sources_and_an_offender()
    {
        // A scan that read no files, or a pattern that matched nothing, would pass the tests above without checking anything.
        Assert.NotEmpty(Sources());
        Assert.Matches(ServiceConstruction(), "var p = new ProjectService(store);");
        Assert.Matches(CatalogCall(), "using var db = store.Catalog();");
    }

    private static List<string> Scan(Regex pattern, string[] allowed) =>
        [.. from file in Sources()
            where !file.StartsWith("src/Cairn.Storage/", StringComparison.Ordinal) && !allowed.Any(a => a.EndsWith('/') ? file.StartsWith(a, StringComparison.Ordinal) : file == a)
            from line in File.ReadLines(Path.Combine(SharedData.RepoRoot, file)).Select((text, i) => (text, n: i + 1))
            where pattern.IsMatch(line.text)
            select $"{file}:{line.n}: {line.text.Trim()}"];

    private static List<string> Sources()
    {
        var src = Path.Combine(SharedData.RepoRoot, "src");
        return [.. Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(SharedData.RepoRoot, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))];
    }
}
