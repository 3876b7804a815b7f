using System.Text.Json;
using Cairn.TestSupport;

namespace Cairn.Cli.Tests;

public class WorkflowCliTests : IDisposable
{
    // A stand-in trainer: checks its input was written in YOLO layout, writes a checkpoint folder and metrics.json.
    private const string Trainer = """
        test -f "$CAIRN_INPUT_DIR/data.yaml" || { echo "no data.yaml in $CAIRN_INPUT_DIR" >&2; exit 9; }
        mkdir -p "$CAIRN_OUTPUT_DIR/weights"
        printf 'best-weights' > "$CAIRN_OUTPUT_DIR/weights/best.pt"
        printf 'last-weights' > "$CAIRN_OUTPUT_DIR/weights/last.pt"
        printf '{"mAP50": 0.61, "epochs": 2}' > "$CAIRN_OUTPUT_DIR/metrics.json"
        echo "trained task $CAIRN_TASK_ID images=$(ls "$CAIRN_INPUT_DIR/images/val2017" | wc -l)"
        """;

    private readonly CliRunner _cli;

    public WorkflowCliTests()
        : this(postgres: false)
    {
    }

    /// <summary>For <see cref="PostgresWorkflowCliTests"/>.</summary>
    protected WorkflowCliTests(bool postgres) => _cli = new CliRunner(postgres);

    public void Dispose()
    {
        _cli.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Run_materialises_the_input_streams_the_log_and_records_checkpoints_and_metrics()
    {
        Assert.Equal(0, _cli.Run("import", "coco", SharedData.Resolve("tiny-coco"), "--project", "tiny", "--annotations", "annotations/instances_val2017.json").ExitCode);

        // --home goes before `--`: everything after it is the command (the runner's trailing --home lands in the script's $0/$1, unused).
        var r = _cli.Run("run", "--home", _cli.Home, "--input", "tiny", "--format", "yolo", "--title", "train tiny", "--json", "--", "sh", "-c", Trainer);

        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = r.Json();
        Assert.Equal("succeeded", json.GetProperty("task").GetProperty("status").GetString());
        Assert.Equal("train tiny", json.GetProperty("task").GetProperty("title").GetString());
        Assert.Equal("tiny@1", json.GetProperty("inputs").EnumerateArray().Single().GetProperty("title").GetString());
        var outputs = json.GetProperty("outputs").EnumerateArray().Select(o => $"{o.GetProperty("kind").GetString()}:{o.GetProperty("title").GetString()}").Order(StringComparer.Ordinal);
        Assert.Equal(["file:best.pt", "file:last.pt", "file:metrics.json", "folder:weights"], outputs);
        var result = json.GetProperty("result");
        Assert.Equal(0, result.GetProperty("exitCode").GetInt32());
        Assert.Equal(0.61, result.GetProperty("metrics").GetProperty("mAP50").GetDouble());
        Assert.Equal(2, result.GetProperty("checkpoints").GetInt32());
        // The command's output reached the console (stderr under --json); tiny-coco val2017 has 50 images.
        Assert.Contains($"trained task {json.GetProperty("task").GetProperty("id").GetInt64()} images=50", r.Stderr);

        // The graph of the run: version → task → folder → checkpoints, metrics file beside.
        var g = _cli.Run("graph", $"task:{json.GetProperty("task").GetProperty("id").GetInt64()}", "--format", "json");
        Assert.Equal(0, g.ExitCode);
        var graph = g.Json();
        var nodes = graph.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!, n => n.GetProperty("title").GetString()!);
        var edges = graph.GetProperty("edges").EnumerateArray().Select(e => $"{nodes[e.GetProperty("from").GetString()!]}>{nodes[e.GetProperty("to").GetString()!]}").ToHashSet();
        Assert.Contains("tiny@1>train tiny", edges);
        Assert.Contains("train tiny>weights", edges);
        Assert.Contains("weights>best.pt", edges);
        Assert.Contains("train tiny>metrics.json", edges);

        var svg = _cli.Run("graph", "tiny", "--format", "svg");
        Assert.Equal(0, svg.ExitCode);
        Assert.StartsWith("<svg", svg.Stdout);
        // Folded for drawing: the import task, tiny, tiny@1, the run, the weights folder and metrics.json; best.pt/last.pt
        // hide inside the folder.
        Assert.Equal(6, System.Text.RegularExpressions.Regex.Count(svg.Stdout, "<g class=\"node "));
        var dot = _cli.Run("graph", "tiny", "--format", "dot");
        Assert.Contains("rankdir=LR", dot.Stdout);
        // import -> tiny, import -> tiny@1 (outputs), tiny -> tiny@1 (version of), tiny@1 -> task (input), task -> weights,
        // task -> metrics.json (outputs).
        Assert.Equal(6, System.Text.RegularExpressions.Regex.Count(dot.Stdout, " -> "));
    }

    [Fact]
    public void Failing_command_fails_the_task_with_its_exit_code()
    {
        var r = _cli.Run("run", "--home", _cli.Home, "--json", "--", "sh", "-c", "echo about to fail; exit 3");
        Assert.Equal(1, r.ExitCode);
        var task = r.Json().GetProperty("task");
        Assert.Equal("failed", task.GetProperty("status").GetString());
        Assert.StartsWith("the command exited with code 3; its output is in the task log", task.GetProperty("error").GetString());
        Assert.Equal(3, r.Json().GetProperty("result").GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public void Op_filter_runs_in_process_and_versions_the_input()
    {
        Assert.Equal(0, _cli.Run("import", "coco", SharedData.Resolve("tiny-coco"), "--project", "tiny", "--annotations", "annotations/instances_val2017.json").ExitCode);
        var r = _cli.Run("op", "filter", "tiny", "--output", "people", "-P", "classes=[\"person\"]", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = r.Json();
        Assert.Equal("tiny@1", json.GetProperty("inputs").EnumerateArray().Single().GetProperty("title").GetString());
        Assert.Equal(["people", "people@1"], json.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("title").GetString()));
        var bad = _cli.Run("op", "filter", "tiny", "--json");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("parameter 'output'", bad.Json().GetProperty("error").GetString());
    }
}

/// <summary>The same workflow commands on a home whose catalog is a PostgreSQL database (given once, with --catalog).</summary>
public sealed class PostgresWorkflowCliTests() : WorkflowCliTests(postgres: true);
