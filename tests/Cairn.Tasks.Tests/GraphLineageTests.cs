using System.Text.Json.Nodes;
using Cairn.Core.Model;
using Cairn.Operations.Models;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Cairn.Tasks.Graph;
using Cairn.TestSupport;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Tests;

/// <summary>What the graph draws besides task inputs and outputs: versions nobody read, restores, a benchmark's model.</summary>
public sealed class GraphLineageTests
{
    [Fact]
    public async Task Project_graph_draws_a_manual_version_a_restore_and_the_model_a_benchmark_ran()
    {
        using var home = new TaskHome();
        var import = await home.ImportTinyAsync();
        Assert.Equal(TaskStates.Succeeded, import.Status);
        var projects = new ProjectService(home.Store);
        var versions = new VersionService(home.Store);
        var tiny = projects.Find("tiny")!;
        var v1 = versions.Get(tiny.Id, 1)!;

        // A manual version 2 after an edit, which no task reads; a restore of version 1.
        var item = projects.Items(tiny.Id, take: 1)[0];
        projects.UpdateAnnotation(item.Id, new Annotation(item.Width, item.Height, [], [new Label("zebra", new RectangleGeometry(new BoxD(1, 1, 5, 5)))]));
        var v2 = versions.Create(tiny.Id, title: "by hand")!.Version;
        var restored = versions.Restore(v1, "tiny-back")!;

        // A benchmark of a registered model on version 1 (the model is not part of tiny's lineage otherwise).
        var model = new ModelRegistry(home.Store).Add(SharedData.Resolve("models/shapes-det.onnx"), "shapes-det", classes: ["person", "car", "dog"]);
        var bench = home.Tasks.Create(new TaskRequest("benchmark", new JsonObject { ["model"] = "shapes-det", ["input"] = "tiny@1", ["speedIterations"] = 0 }));
        var done = await home.Tasks.RunAsync(bench.Id);
        Assert.True(done.Status == TaskStates.Succeeded, done.Error);

        var g = new GraphBuilder(home.Store).Project(tiny.Id);
        var edges = g.Edges.Select(e => $"{e.From} -{e.Kind}-> {e.To}").ToList();
        Assert.Contains($"project:{tiny.Id} -version-> version:{v2.Id}", edges);
        Assert.Contains(g.Nodes, n => n.Id == $"version:{v2.Id}" && n.Title == "tiny@2" && n.Kind == NodeKinds.Version);
        Assert.Contains($"version:{v1.Id} -restore-> project:{restored.ProjectId}", edges);
        Assert.Contains(g.Nodes, n => n.Id == $"project:{restored.ProjectId}" && n.Title == "tiny-back");
        Assert.Contains($"model:{model.Id} -input-> task:{bench.Id}", edges);
        Assert.Contains(g.Nodes, n => n.Id == $"model:{model.Id}" && n.Title == "shapes-det");
    }
}
