using System.Text.Json.Nodes;
using Cairn.Operations.Models;
using Cairn.Storage.Projects;
using Cairn.TestSupport;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Tests;

/// <summary>
/// A benchmark matches the model's classes to the version's by name. shapes-det.onnx names no classes in its metadata,
/// so it registers as class_0…class_2; its real classes are circle, square, triangle (models/README.md).
/// </summary>
public sealed class BenchmarkClassTests
{
    private static async Task<TaskHome> HomeWithShapesValAsync()
    {
        var home = new TaskHome();
        var import = home.Tasks.Create(new TaskRequest("import", new JsonObject { ["format"] = "coco", ["path"] = SharedData.Resolve("models/shapes-val"), ["project"] = "shapes-val" }));
        Assert.Equal(TaskStates.Succeeded, (await home.Tasks.RunAsync(import.Id)).Status);
        new ModelRegistry(home.Store).Add(SharedData.Resolve("models/shapes-det.onnx"), "shapes-det");
        return home;
    }

    private static JsonObject Bench(JsonNode? classes = null) =>
        new() { ["model"] = "shapes-det", ["input"] = "shapes-val@1", ["speedIterations"] = 0, ["classes"] = classes };

    [Fact]
    public async Task A_benchmark_where_no_model_class_is_a_data_class_is_refused_naming_both_lists()
    {
        using var home = await HomeWithShapesValAsync();
        var e = Assert.Throws<TaskValidationException>(() => home.Tasks.Create(new TaskRequest("benchmark", Bench())));
        Assert.Contains("no class of the model matches a class of the ground truth", e.Message);
        Assert.Contains("class_0, class_1, class_2", e.Message);
        Assert.Contains("shapes-val@1 has circle, square, triangle", e.Message);
        Assert.Empty(home.Tasks.Records.List(status: TaskStates.Queued));
    }

    [Fact]
    public async Task A_class_mapping_makes_the_benchmark_score_what_the_model_measures_and_a_partial_match_warns()
    {
        using var home = await HomeWithShapesValAsync();
        var mapped = await home.Tasks.RunAsync(home.Tasks.Create(new TaskRequest("benchmark", Bench(new JsonObject { ["0"] = "circle", ["1"] = "square", ["2"] = "triangle" }))).Id);
        Assert.True(mapped.Status == TaskStates.Succeeded, mapped.Error);
        var result = JsonNode.Parse(mapped.ResultJson!)!;
        Assert.Equal(0.6985, result["map"]!.GetValue<double>(), 0.0005); // models/README.md, measured independently
        Assert.Null(result["warnings"]);

        var partial = await home.Tasks.RunAsync(home.Tasks.Create(new TaskRequest("benchmark", Bench(new JsonArray("circle", "square", "hexagon")))).Id);
        Assert.True(partial.Status == TaskStates.Succeeded, partial.Error);
        var warning = JsonNode.Parse(partial.ResultJson!)!["warnings"]![0]!.GetValue<string>();
        Assert.Contains("model classes without a ground-truth class: hexagon", warning);
        Assert.Contains("ground-truth classes the model does not predict: triangle", warning);
        Assert.Contains(home.Tasks.Records.Log(partial.Id), l => l.Level == "warning" && l.Message == warning);
    }

    [Fact]
    public async Task A_mapping_that_does_not_fit_the_model_is_refused()
    {
        using var home = await HomeWithShapesValAsync();
        var e = Assert.Throws<TaskValidationException>(() => home.Tasks.Create(new TaskRequest("benchmark", Bench(new JsonArray("circle", "square")))));
        Assert.Contains("2 names (circle, square) for a model with 3 classes", e.Message);
        e = Assert.Throws<TaskValidationException>(() => home.Tasks.Create(new TaskRequest("benchmark", Bench(new JsonObject { ["7"] = "circle" }))));
        Assert.Contains("key \"7\": expected a model class index 0…2", e.Message);
    }

    [Fact]
    public async Task A_model_a_run_wrote_takes_its_input_versions_classes_when_it_names_none()
    {
        using var home = new TaskHome();
        var generate = home.Tasks.Create(new TaskRequest("generate", new JsonObject { ["output"] = "shapes", ["count"] = 4, ["seed"] = 3 }));
        Assert.Equal(TaskStates.Succeeded, (await home.Tasks.RunAsync(generate.Id)).Status);
        var expected = Core.Serialization.ProjectMetaJson.Parse(new ProjectService(home.Store).Find("shapes")!.MetaJson).Classes.Select(c => c.Name).ToList();
        Assert.Equal(3, expected.Count);

        var tasks = home.Tasks;
        var run = tasks.Create(new TaskRequest("run", new JsonObject
        {
            ["command"] = new JsonArray("sh", "-c", $"cp '{SharedData.Resolve("models/shapes-det.onnx")}' \"$CAIRN_OUTPUT_DIR/best.onnx\""),
            ["inputs"] = new JsonArray(new JsonObject { ["spec"] = "shapes@1", ["format"] = "yolo" }),
            ["title"] = "train",
        }));
        var done = await tasks.RunAsync(run.Id);
        Assert.True(done.Status == TaskStates.Succeeded, done.Error);
        Assert.Equal(expected, ModelRegistry.Classes(new ModelRegistry(home.Store).Find("train/best")!));
    }
}
