using System.Text.Json.Nodes;
using Cairn.Operations.Models;
using Cairn.TestSupport;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Tests;

public sealed class RunModelOutputTests
{
    [Fact]
    public async Task An_onnx_file_written_by_a_run_is_registered_as_a_model_produced_by_that_task()
    {
        using var home = new TaskHome();
        var tasks = home.Tasks;
        var model = SharedData.Resolve("models/shapes-det.onnx");
        var row = tasks.Create(new TaskRequest("run", new JsonObject
        {
            ["command"] = new JsonArray("sh", "-c", $"mkdir -p \"$CAIRN_OUTPUT_DIR/weights\" && cp '{model}' \"$CAIRN_OUTPUT_DIR/weights/best.onnx\" && echo 'not a model' > \"$CAIRN_OUTPUT_DIR/weights/last.onnx\""),
            ["title"] = "train",
        }));
        var done = await tasks.RunAsync(row.Id);
        Assert.True(done.Status == TaskStates.Succeeded, done.Error);

        var registered = Assert.Single(new ModelRegistry(home.Store).List());
        Assert.Equal(done.Id, registered.TaskId);
        Assert.Equal("train/best", registered.Name);
        Assert.Equal(3, ModelRegistry.Classes(registered).Count);
        Assert.Contains(tasks.Records.Relations(done.Id), r => r.Direction == "output" && r.NodeKind == NodeKinds.Model && r.RefId == registered.Id);
        Assert.Contains(tasks.Records.Log(done.Id), l => l.Message.Contains("last.onnx kept as a checkpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_run_registers_no_model_and_puts_no_output_on_the_graph_but_keeps_its_files_for_the_task_page()
    {
        using var home = new TaskHome();
        var tasks = home.Tasks;
        var model = SharedData.Resolve("models/shapes-det.onnx");
        var row = tasks.Create(new TaskRequest("run", new JsonObject
        {
            ["command"] = new JsonArray("sh", "-c", $"mkdir -p \"$CAIRN_OUTPUT_DIR/weights\" && cp '{model}' \"$CAIRN_OUTPUT_DIR/weights/best.onnx\" && echo '{{\"loss\": 9}}' > \"$CAIRN_OUTPUT_DIR/metrics.json\" && exit 3"),
            ["title"] = "train",
        }));
        var done = await tasks.RunAsync(row.Id);

        Assert.Equal(TaskStates.Failed, done.Status);
        Assert.Empty(new ModelRegistry(home.Store).List());
        Assert.DoesNotContain(tasks.Records.Relations(done.Id), r => r.Direction == "output");
        var graph = new Graph.GraphBuilder(home.Store).Workspace();
        Assert.Equal([NodeKinds.Task], graph.Nodes.Select(n => n.Kind).Distinct());
        using var db = home.Store.Catalog();
        Assert.Equal(["runs/task-1/metrics.json", "runs/task-1/weights/best.onnx"], db.Files.Where(f => f.TaskId == done.Id).Select(f => f.Path).OrderBy(p => p).ToList());
    }
}
