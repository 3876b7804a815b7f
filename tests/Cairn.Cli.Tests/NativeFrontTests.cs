using System.Diagnostics;
using System.Text.Json;
using Cairn.TestSupport;
using Xunit.Abstractions;

namespace Cairn.Cli.Tests;

/// <summary>
/// The native front answers the command lines it runs itself exactly as the full CLI does, and hands everything
/// else to the full CLI unchanged.
/// </summary>
public sealed class NativeFrontTests : IDisposable
{
    private readonly CliRunner _full = new();
    private readonly ITestOutputHelper _output;

    public NativeFrontTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _full.Dispose();

    [Fact]
    public void Import_and_version_create_run_without_the_full_cli_and_answer_as_it_does()
    {
        // With no full CLI to hand over to, the native front still imports (creating the new home's catalog) and makes
        // the version: it ran the commands itself.
        var import = Native(Missing, "import", "coco", SharedData.Resolve("tiny-coco"), "-p", "t", "--annotations", "annotations/instances_val2017.json", "--no-version", "--json", "--home", _full.Home);
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Equal(50, import.Json().GetProperty("items").GetInt32());
        // --no-version: no version number (--json output leaves null fields out).
        Assert.False(import.Json().TryGetProperty("version", out var version) && version.ValueKind != JsonValueKind.Null);

        // Its import is the same use case as the web import's: a task, on the graph, with the project as its output.
        var task = import.Json().GetProperty("task").GetInt64();
        var graph = _full.Run("graph", "t", "--format", "json");
        Assert.True(graph.ExitCode == 0, graph.Stderr);
        Assert.Contains(graph.Json().GetProperty("edges").EnumerateArray(), e => e.GetProperty("from").GetString() == $"task:{task}" && e.GetProperty("to").GetString() == $"project:{import.Json().GetProperty("project").GetProperty("id").GetInt64()}");
        var created = Native(Missing, "version", "create", "t", "--title=first", "--author", "ann", "--json", "--home", _full.Home);
        Assert.True(created.ExitCode == 0, created.Stderr);
        var v = created.Json();
        Assert.True(v.GetProperty("created").GetBoolean());
        Assert.Equal("first", v.GetProperty("version").GetProperty("title").GetString());
        Assert.Equal("ann", v.GetProperty("version").GetProperty("author").GetString());

        // The full CLI reads what it wrote: the home, the project's items and the version's tree are whole.
        Assert.Equal(50, _full.Run("version", "show", "t@1", "--json").Json().GetProperty("version").GetProperty("items").GetInt64());
        Assert.Equal(v.GetProperty("version").GetProperty("rootId").GetString(), _full.Run("version", "show", "t@1", "--json").Json().GetProperty("version").GetProperty("rootId").GetString());
        var fsck = _full.Run("fsck", "--json");
        Assert.True(fsck.ExitCode == 0, fsck.Stdout);

        // The same answers as the full CLI, byte for byte: nothing changed (text and JSON), no such project (text and
        // JSON), a project name taken, a folder that is no dataset.
        AssertSame(["version", "create", "t"], expectedExit: 0);
        AssertSame(["version", "create", "t", "--json"], expectedExit: 0, ignoring: "\"elapsedMs\"");
        AssertSame(["version", "create", "nope"], expectedExit: 1);
        AssertSame(["version", "create", "nope", "--json"], expectedExit: 1);
        AssertSame(["import", "coco", SharedData.Resolve("tiny-coco"), "--project", "t", "--annotations", "annotations/instances_val2017.json"], expectedExit: 1);

        // Diffs: edit one item's labels in the working state (as the UI would), version it natively, then compare.
        using (var store = Storage.CairnStore.Open(_full.Home))
        {
            var projects = new Storage.Projects.ProjectService(store);
            var item = projects.Items(projects.Find("t")!.Id, take: 1)[0];
            projects.UpdateAnnotation(item.Id, new Core.Model.Annotation(item.Width, item.Height, [], [new Core.Model.Label("zebra", new Core.Model.RectangleGeometry(new Core.Model.BoxD(1, 1, 5, 5)))]));
        }

        var working = Native(Missing, "version", "diff", "t@1", "t", "--json", "--home", _full.Home);
        Assert.True(working.ExitCode == 0, working.Stderr);
        Assert.Equal(1, working.Json().GetProperty("summary").GetProperty("labelsChanged").GetInt32());
        Assert.Equal(0, Native(Missing, "version", "create", "t", "--home", _full.Home).ExitCode);
        AssertSame(["version", "diff", "t@1", "t@2"], expectedExit: 0);
        AssertSame(["version", "diff", "t@1", "t@2", "--json"], expectedExit: 0);
        AssertSame(["version", "diff", "t@2", "t", "--limit", "0"], expectedExit: 0);
        AssertSame(["version", "diff", "t@9", "t@1"], expectedExit: 1);

        // Listings.
        Assert.Equal(2, Native(Missing, "version", "list", "t", "--json", "--home", _full.Home).Json().GetProperty("versions").GetArrayLength());
        Assert.Equal("t", Native(Missing, "project", "list", "--json", "--home", _full.Home).Json().GetProperty("projects")[0].GetProperty("name").GetString());
        AssertSame(["version", "list", "t"], expectedExit: 0);
        AssertSame(["version", "list", "t", "--json"], expectedExit: 0);
        AssertSame(["version", "list", "nope"], expectedExit: 1);
        AssertSame(["project", "list"], expectedExit: 0);
        AssertSame(["project", "list", "--json"], expectedExit: 0);
        AssertSame(["version", "diff", "nope@1", "t@1", "--json"], expectedExit: 1);
        var empty = Directory.CreateTempSubdirectory("cairn-native-empty-").FullName;
        try
        {
            AssertSame(["import", "coco", empty, "--project", "e", "--json"], expectedExit: 1);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void Options_before_the_command_and_an_empty_project_list_are_answered_natively_as_the_full_cli_answers()
    {
        // No full CLI to hand over to: the native front ran these itself, with the home named before the command.
        var empty = Native(Missing, "--home", _full.Home, "project", "list");
        Assert.True(empty.ExitCode == 0, empty.Stderr);
        Assert.StartsWith("No projects yet.", empty.Stdout);
        Assert.Equal(0, Native(Missing, "--json", "--home", _full.Home, "project", "list").Json().GetProperty("projects").GetArrayLength());
        AssertSame(["project", "list"], expectedExit: 0);
        var wide = new string('p', 120);
        AssertSame(["version", "list", wide], expectedExit: 1);
        Assert.Single(Native(Missing, "--home", _full.Home, "version", "list", wide).Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void On_a_postgres_home_the_first_command_goes_to_the_full_cli_and_later_ones_run_natively()
    {
        using var pg = new CliRunner(postgres: true);

        // A new PostgreSQL catalog needs EF Core's migrator: the native front hands the import over.
        var first = Native(Missing, "import", "coco", SharedData.Resolve("tiny-coco"), "-p", "t", "--annotations", "annotations/instances_val2017.json", "--home", pg.Home, "--catalog", pg.Catalog!);
        Assert.Equal(70, first.ExitCode);
        Assert.Equal(0, pg.Run("import", "coco", SharedData.Resolve("tiny-coco"), "--project", "t", "--annotations", "annotations/instances_val2017.json").ExitCode);

        // The home now names its current catalog: import and version create run without the full CLI.
        var second = Native(Missing, "import", "coco", SharedData.Resolve("tiny-coco"), "-p", "u", "--annotations", "annotations/instances_val2017.json", "--no-version", "--json", "--home", pg.Home);
        Assert.True(second.ExitCode == 0, second.Stderr);
        var v = Native(Missing, "version", "create", "u", "--json", "--home", pg.Home);
        Assert.True(v.ExitCode == 0, v.Stderr);
        Assert.Equal(1, v.Json().GetProperty("version").GetProperty("number").GetInt32());
        Assert.EndsWith("Z", v.Json().GetProperty("version").GetProperty("createdAt").GetString(), StringComparison.Ordinal);
        var shown = pg.Run("version", "show", "u@1", "--json");
        Assert.Equal(v.Json().GetProperty("version").GetProperty("rootId").GetString(), shown.Json().GetProperty("version").GetProperty("rootId").GetString());
        Assert.Equal(0, pg.Run("fsck").ExitCode);
    }

    [Fact]
    public void Other_command_lines_go_to_the_full_cli_unchanged()
    {
        Assert.Equal(0, _full.Run("import", "coco", SharedData.Resolve("tiny-coco"), "--project", "t", "--annotations", "annotations/instances_val2017.json").ExitCode);
        Assert.Equal(0, _full.Run("version", "create", "t").ExitCode); // every create below then finds nothing changed

        // Commands it does not run, help, options it does not know, a repeated option, a missing value: all answered
        // by the full CLI, so with it missing each one says so (exit 70), and with it present they match it.
        string[][] handedOver =
        [
            ["project", "show", "t", "--json"],
            ["version", "create", "--help"],
            ["version", "create", "t", "--bogus"],
            ["version", "create", "t", "--title", "a", "--title", "b"],
            ["version", "create", "t", "--title"],
            ["version", "create"],
            ["import", "bogus", SharedData.Resolve("tiny-coco")],
            ["version", "diff", "t@1", "t", "--limit", "many"],
            ["import", "coco", SharedData.Resolve("tiny-coco"), "--project", "t", "-x"],
        ];
        foreach (var args in handedOver)
        {
            var r = Native(Missing, [.. args, "--home", _full.Home]);
            Assert.True(r.ExitCode == 70 && r.Stderr.Contains(Missing, StringComparison.Ordinal), $"{string.Join(' ', args)}: exit {r.ExitCode}, {r.Stderr}");
            AssertSame(args, expectedExit: null);
        }

        // A home whose catalog needs a migration goes to the full CLI (the native front has no EF Core migrator).
        using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_full.Home, "catalog.db")};Pooling=False"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "UPDATE cairn_schema SET migration = '20200101000000_Older'";
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }

        Assert.Equal(70, Native(Missing, "version", "create", "t", "--home", _full.Home).ExitCode);

        // A catalog option that does not fit the home: the same refusal from both (the native front resolves catalogs
        // with the same code; PostgreSQL homes are covered by NativePostgresVersionCliTests).
        AssertSame(["version", "create", "t", "--catalog", "Host=localhost;Database=x"], expectedExit: 2);
    }

    [Fact]
    public void Kills_during_native_imports_and_version_creates_leave_a_consistent_home()
    {
        // SIGKILL the native front at random moments of its own import and version create (the storage crash harness
        // does the same to a library host; this is the process users run). After each kill fsck is clean, version
        // numbers stay contiguous, and the next command succeeds.
        var rng = new Random(5);
        var data = SharedData.Resolve("tiny-coco");
        var imported = new List<string>();
        var took = new Dictionary<string, TimeSpan>(); // each command's time when last not killed
        var killed = 0;
        for (var i = 0; i < 24; i++)
        {
            var name = $"p{i}";
            string[] args = i % 2 == 0
                ? ["import", "coco", data, "-p", name, "--annotations", "annotations/instances_val2017.json", "--home", _full.Home]
                : ["version", "create", imported[rng.Next(imported.Count)], "--title", $"t{i}", "--home", _full.Home];

            // Killed after up to 1.5 times the command's own run time on this machine: about half are cut short, at any
            // point from start-up to the catalog commit.
            var delay = took.TryGetValue(args[0], out var t) ? t * (1.5 * rng.NextDouble()) : TimeSpan.FromMinutes(1);
            var clock = Stopwatch.StartNew();
            var (exit, wasKilled) = NativeKilledAfter(delay, args);
            killed += wasKilled ? 1 : 0;
            if (!wasKilled)
            {
                took[args[0]] = clock.Elapsed;
                Assert.True(exit == 0, $"{string.Join(' ', args)}: exit {exit}");
            }

            if (args[0] == "import" && _full.Run("project", "show", name, "--json").ExitCode == 0)
            {
                imported.Add(name);
            }

            var fsck = _full.Run("fsck", "--json");
            Assert.True(fsck.ExitCode == 0, $"after `{string.Join(' ', args)}` (killed: {wasKilled}): {fsck.Stdout}");
            foreach (var numbers in VersionNumbersByProject())
            {
                Assert.Equal(Enumerable.Range(1, numbers.Count), numbers);
            }
        }

        _output.WriteLine($"{killed} of 24 commands killed before they finished; {imported.Count} imports completed");
        Assert.True(killed >= 6, $"only {killed} of 24 commands were killed before they finished");
        var after = Native(CliRunner.FullCliDll, "version", "create", imported[0], "--json", "--home", _full.Home);
        Assert.True(after.ExitCode == 0, after.Stderr);
    }

    // Every project's version numbers, ascending, read from the catalog file.
    private List<List<int>> VersionNumbersByProject()
    {
        using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_full.Home, "catalog.db")};Pooling=False;Mode=ReadOnly");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT ProjectId, Number FROM versions ORDER BY ProjectId, Number";
        var rows = new List<(long Project, int Number)>();
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                rows.Add((r.GetInt64(0), r.GetInt32(1)));
            }
        }

        return rows.GroupBy(x => x.Project).Select(g => g.Select(x => x.Number).ToList()).ToList();
    }

    [Fact]
    public void Eval_runs_without_the_full_cli_and_answers_as_it_does()
    {
        // With no full CLI to hand over to, the native front evaluates: it ran `eval` itself (issue 17: the JIT and
        // start-up were a third of the whole command). Its summary is the full CLI's, byte for byte, and so are the
        // numbers of its --json document (only the creation time and the timings differ between two runs).
        var val = SharedData.Resolve("coco-val2014-100");
        string[] segm = ["eval", "--gt", Path.Combine(val, "instances_val2014_100.json"), "--dt", Path.Combine(val, "instances_val2014_fakesegm100_results.json"), "--iou-type", "segm"];
        var native = Native(Missing, segm);
        Assert.True(native.ExitCode == 0, native.Stderr);
        Assert.Equal(_full.Run(segm).Stdout, native.Stdout);
        Assert.Contains("loaded in", native.Stderr, StringComparison.Ordinal);

        var nativeJson = Native(Missing, [.. segm, "--json"]).Json();
        var fullJson = _full.Run([.. segm, "--json"]).Json();
        Assert.Equal(fullJson.GetProperty("stats").GetRawText(), nativeJson.GetProperty("stats").GetRawText());
        Assert.Equal(fullJson.GetProperty("dataset").GetRawText(), nativeJson.GetProperty("dataset").GetRawText());

        // What the native front does not run goes to the full CLI (here missing, so it fails to start): a report, an
        // unknown --iou-type (the full CLI's validation words the error).
        Assert.NotEqual(0, Native(Missing, [.. segm, "--report", Path.Combine(Path.GetTempPath(), "r.html")]).ExitCode);
        Assert.NotEqual(0, Native(Missing, ["eval", "--gt", "a.json", "--dt", "b.json", "--iou-type", "contour"]).ExitCode);

        // A missing file: the same message and exit code from both.
        string[] missing = ["eval", "--gt", Path.Combine(val, "nope.json"), "--dt", Path.Combine(val, "instances_val2014_fakesegm100_results.json")];
        var a = Native(Missing, missing);
        var b = _full.Run(missing);
        Assert.Equal(1, a.ExitCode);
        Assert.Equal(b.ExitCode, a.ExitCode);
        Assert.Equal(b.Stderr, a.Stderr);
    }

    // Starts the native front and kills it (SIGKILL) after the delay unless it finished first.
    private static (int ExitCode, bool Killed) NativeKilledAfter(TimeSpan delay, string[] args)
    {
        using var p = new ChildProcess(NativeFront.Executable, args, new Dictionary<string, string> { ["CAIRN_CLI_DLL"] = CliRunner.FullCliDll });
        var killed = !p.WaitForExit(delay);
        if (killed)
        {
            p.Kill();
        }

        return (p.Result().ExitCode, killed);
    }

    private static readonly string Missing = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "cairn.dll");

    // Runs the command through the native front and through the full CLI on the same home: same exit code, same output.
    private void AssertSame(string[] args, int? expectedExit, string? ignoring = null)
    {
        var native = Native(CliRunner.FullCliDll, [.. args, "--home", _full.Home]);
        var full = _full.Run(args);
        Assert.True(full.ExitCode == native.ExitCode, $"{string.Join(' ', args)}: the full CLI exits {full.ExitCode} ({full.Stderr}), the native front {native.ExitCode} ({native.Stderr})");
        if (expectedExit is { } e)
        {
            Assert.Equal(e, native.ExitCode);
        }

        Assert.Equal(Strip(full.Stdout, ignoring), Strip(native.Stdout, ignoring));
        Assert.Equal(full.Stderr, native.Stderr);
    }

    private static string Strip(string text, string? ignoring) =>
        ignoring is null ? text : string.Join('\n', text.Split('\n').Where(l => !l.Contains(ignoring, StringComparison.Ordinal)));

    private static CliResult Native(string fullCli, params string[] args)
    {
        using var p = new ChildProcess(NativeFront.Executable, args, new Dictionary<string, string> { ["CAIRN_CLI_DLL"] = fullCli });
        return p.Result();
    }
}
