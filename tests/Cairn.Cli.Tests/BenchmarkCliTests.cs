using Cairn.TestSupport;

namespace Cairn.Cli.Tests;

/// <summary>Class names between a model and the data, as a user meets them on the command line.</summary>
public sealed class BenchmarkCliTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly string _scratch = Directory.CreateTempSubdirectory("cairn-bench-cli").FullName;

    public void Dispose()
    {
        _cli.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public void Benchmark_of_a_model_whose_classes_match_none_of_the_data_exits_2_and_a_classes_file_fixes_it()
    {
        Assert.Equal(0, _cli.Run("import", "coco", SharedData.Resolve("models/shapes-val"), "--project", "shapes-val").ExitCode);
        // shapes-det.onnx names no classes in its metadata: it registers as class_0…class_2.
        Assert.Equal(0, _cli.Run("model", "add", SharedData.Resolve("models/shapes-det.onnx"), "--name", "shapes-det").ExitCode);

        var refused = _cli.Run("benchmark", "run", "shapes-det", "shapes-val@1", "--speed-iterations", "0", "--json");
        Assert.Equal(2, refused.ExitCode);
        var message = refused.Json().GetProperty("error").GetString();
        Assert.Contains("class_0, class_1, class_2", message);
        Assert.Contains("circle, square, triangle", message);

        var bad = Path.Combine(_scratch, "bad.txt");
        File.WriteAllText(bad, "circle\n\nsquare\ntriangle\n");
        var badRun = _cli.Run("benchmark", "run", "shapes-det", "shapes-val@1", "--classes-file", bad, "--json");
        Assert.Equal(2, badRun.ExitCode);
        Assert.StartsWith($"{bad}, line 2: empty", badRun.Json().GetProperty("error").GetString());

        var good = Path.Combine(_scratch, "classes.txt");
        File.WriteAllText(good, "circle\nsquare\ntriangle\n");
        var ran = _cli.Run("benchmark", "run", "shapes-det", "shapes-val@1", "--classes-file", good, "--speed-iterations", "0", "--json");
        Assert.True(ran.ExitCode == 0, ran.Stderr);
        Assert.Equal(0.6985, ran.Json().GetProperty("result").GetProperty("map").GetDouble(), 0.0005); // models/README.md

        // The same mapping at registration, as a JSON map of model index → dataset class.
        var map = Path.Combine(_scratch, "map.json");
        File.WriteAllText(map, """{"0": "circle", "1": "square", "2": "triangle"}""");
        var added = _cli.Run("model", "add", SharedData.Resolve("models/shapes-det.onnx"), "--name", "named", "--classes-file", map, "--json");
        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.Equal(["circle", "square", "triangle"], added.Json().GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
    }
}
