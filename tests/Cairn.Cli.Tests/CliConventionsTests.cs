using System.Diagnostics;
using Cairn.TestSupport;

namespace Cairn.Cli.Tests;

/// <summary>The conventions a new user expects of a command-line tool: options before the command, --version, output that a pipe reads whole, empty lists that say so, tasks inspected and cancelled from the CLI.</summary>
public sealed class CliConventionsTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Home_catalog_and_json_may_come_before_the_command()
    {
        var list = _cli.Run("--home", _cli.Home, "--json", "project", "list");
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Equal(0, list.Json().GetProperty("projects").GetArrayLength());

        // Before `--`, not after it: the program's own arguments stay the program's.
        var run = _cli.Run("--home=" + _cli.Home, "run", "--title", "echo", "--", "sh", "-c", "echo \"args: $*\"", "sh", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("args: --json", _cli.Run("task", "log", "1").Stdout);
    }

    [Fact]
    public void Version_prints_the_version()
    {
        var r = _cli.Run("--version");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Matches(@"^\d+\.\d+\.\d+", r.Stdout.Trim());
    }

    [Fact]
    public void Redirected_output_is_not_wrapped_at_80_columns()
    {
        var name = new string('p', 120);
        var r = _cli.Run("version", "create", name);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(name, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Empty_lists_say_so_and_how_to_fill_them()
    {
        Assert.StartsWith("No projects yet. Import one with `cairn import", _cli.Run("project", "list").Stdout);
        Assert.StartsWith("No models yet.", _cli.Run("model", "list").Stdout);
        Assert.StartsWith("No evaluations yet.", _cli.Run("benchmark", "list").Stdout);
        Assert.StartsWith("No tasks yet.", _cli.Run("task", "list").Stdout);
    }

    [Fact]
    public void Graph_png_goes_to_redirected_stdout()
    {
        var r = _cli.Run("graph", "workspace", "--format", "png");
        Assert.True(r.ExitCode == 0, r.Stderr);
        // The PNG signature: 0x89 (not UTF-8, read back as U+FFFD), then "PNG".
        Assert.Equal("PNG", r.Stdout.Substring(1, 3));
    }

    [Fact]
    public void Tasks_are_listed_shown_logged_and_cancelled_as_the_server_cancels_them()
    {
        using var running = new ChildProcess("dotnet", [CliRunner.FullCliDll, "run", "--home", _cli.Home, "--title", "sleeper", "--", "sh", "-c", "echo started; sleep 60"]);
        var watch = Stopwatch.StartNew();
        while (!_cli.Run("task", "list", "--status", "running").Stdout.Contains("sleeper", StringComparison.Ordinal))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "the task did not start");
            Thread.Sleep(200);
        }

        var show = _cli.Run("task", "show", "1");
        Assert.Contains("Task 1 sleeper (run): running", show.Stdout);

        var cancel = _cli.Run("task", "cancel", "1");
        Assert.True(cancel.ExitCode == 0, cancel.Stderr);
        Assert.True(running.WaitForExit(TimeSpan.FromSeconds(30)), "the cancelled task's command did not end");
        Assert.Equal(130, running.Result().ExitCode);

        var json = _cli.Run("task", "list", "--json").Json().GetProperty("tasks")[0];
        Assert.Equal("cancelled", json.GetProperty("status").GetString());
        Assert.Contains("started", _cli.Run("task", "log", "1", "--follow").Stdout);
        var again = _cli.Run("task", "cancel", "1");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("task 1 is cancelled: only queued or running tasks can be cancelled", again.Stderr);
        Assert.Contains("no task 9.", _cli.Run("task", "show", "9").Stderr);
    }

    [Fact]
    public void Benchmark_show_prints_one_evaluation()
    {
        Assert.Equal(0, _cli.Run("op", "generate", "--output", "shapes", "-P", "count=12", "-P", "seed=7").ExitCode);
        Assert.Equal(0, _cli.Run("model", "add", Path.Combine(SharedData.RepoRoot, "samples", "shapes-det.onnx"), "--name", "det", "--classes", "circle,square,triangle").ExitCode);
        var run = _cli.Run("benchmark", "run", "det", "shapes@1", "--speed-iterations", "0", "--title", "first");
        Assert.True(run.ExitCode == 0, run.Stderr);

        var show = _cli.Run("benchmark", "show", "1");
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("Evaluation 1 first: model det on shapes@1", show.Stdout);
        Assert.Contains("triangle", show.Stdout);
        var json = _cli.Run("benchmark", "show", "1", "--json").Json();
        Assert.Equal(json.GetProperty("map").GetDouble(), _cli.Run("benchmark", "list", "--json").Json().GetProperty("evaluations")[0].GetProperty("mapAll").GetDouble());
        Assert.Contains("no evaluation 2", _cli.Run("benchmark", "show", "2").Stderr);
    }

    [Fact]
    public void Sizes_read_in_one_unit_and_a_version_counts_only_the_bytes_it_stored()
    {
        var import = _cli.Run("import", "coco", SharedData.Resolve("tiny-coco"), "--project", "t", "--annotations", "annotations/instances_val2017.json");
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Matches(@"\d+\.\d MiB \(\d+\.\d MiB newly stored\)", import.Stdout);

        // The import stored the images; the version stores its snapshot only (a few KiB for 50 items).
        var version = _cli.Run("version", "create", "t", "--json").Json().GetProperty("version");
        Assert.True(version.GetProperty("newBytes").GetInt64() < version.GetProperty("totalBytes").GetInt64() / 10, version.ToString());
        Assert.Contains("KiB newly stored by this version", _cli.Run("version", "show", "t@1").Stdout);
    }
}
