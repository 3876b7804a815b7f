using System.Text.Json.Nodes;
using Cairn.Core.Serialization;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;

namespace Cairn.Tasks.Tests;

/// <summary>The data operations as task kinds: generate → augment → transform → split → merge, each output versioned.</summary>
public sealed class OperationKindsTests
{
    private static async Task<Storage.Catalog.TaskRow> Run(TaskHome home, string kind, JsonObject p)
    {
        var row = home.Tasks.Create(new TaskRequest(kind, p));
        var done = await home.Tasks.RunAsync(row.Id);
        Assert.True(done.Status == TaskStates.Succeeded, $"{kind} {done.Status}: {done.Error}");
        return done;
    }

    [Fact]
    public async Task Operations_chain_into_versioned_projects_with_the_expected_contents()
    {
        using var home = new TaskHome();
        var projects = new ProjectService(home.Store);
        var versions = new VersionService(home.Store);

        await Run(home, "generate", new JsonObject { ["output"] = "shapes", ["count"] = 24, ["seed"] = 3 });
        var shapes = projects.Find("shapes")!;
        var v1 = Assert.Single(versions.List(shapes.Id));
        Assert.Equal(24, v1.Items);
        Assert.True(v1.Labels >= 24, "every scene has at least one shape");

        var pipeline = new JsonObject { ["seed"] = 1, ["outputsPerImage"] = 2, ["steps"] = new JsonArray(new JsonObject { ["op"] = "hflip" }) };
        await Run(home, "augment", new JsonObject { ["input"] = "shapes@1", ["output"] = "flipped", ["pipeline"] = pipeline });
        var flipped = projects.Find("flipped")!;
        Assert.Equal(48, projects.Datasets(flipped.Id).Sum(d => d.Items));

        // A horizontal flip maps x to width - x: the first polygon's bounds mirror exactly.
        var original = projects.StreamItems(shapes.Id).First().Item;
        var mirrored = projects.StreamItems(flipped.Id).First(x => x.Item.Name.StartsWith(Path.GetFileNameWithoutExtension(original.Name), StringComparison.Ordinal)).Item;
        var a = AnnotationJson.Parse(original.AnnotationJson).Labels[0].Geometry.Bounds();
        var b = AnnotationJson.Parse(mirrored.AnnotationJson).Labels[0].Geometry.Bounds();
        Assert.Equal(original.Width - a.Right, b.Left, 6);
        Assert.Equal(a.Top, b.Top, 6);

        await Run(home, "transform", new JsonObject
        {
            ["input"] = "shapes@1",
            ["output"] = "renamed",
            ["ops"] = new JsonArray(new JsonObject { ["op"] = "renameClass", ["from"] = "circle", ["to"] = "disc" }),
        });
        var renamed = projects.Find("renamed")!;
        var classes = ProjectMetaJson.Parse(renamed.MetaJson).Classes.Select(c => c.Name).ToList();
        Assert.Contains("disc", classes);
        Assert.DoesNotContain("circle", classes);

        await Run(home, "split", new JsonObject
        {
            ["input"] = "shapes@1",
            ["output"] = "shapes",
            ["separate"] = true,
            ["parts"] = new JsonArray(new JsonObject { ["name"] = "train", ["count"] = 18 }, new JsonObject { ["name"] = "val", ["count"] = 6 }),
        });
        Assert.Equal(18, projects.Datasets(projects.Find("shapes-train")!.Id).Sum(d => d.Items));
        Assert.Equal(6, projects.Datasets(projects.Find("shapes-val")!.Id).Sum(d => d.Items));

        // Merging the parts with the original finds every image twice: duplicates are reported, not lost.
        var merge = await Run(home, "merge", new JsonObject
        {
            ["inputs"] = new JsonArray("shapes-train@1", "shapes-val@1", "shapes@1"),
            ["output"] = "all",
            ["skipDuplicates"] = true,
        });
        var result = JsonNode.Parse(merge.ResultJson!)!;
        Assert.Equal(24, result["duplicates"]!.GetValue<int>());
        Assert.Equal(24, projects.Datasets(projects.Find("all")!.Id).Sum(d => d.Items));
        Assert.Single(versions.List(projects.Find("all")!.Id));
    }

    [Fact]
    public void Invalid_operation_parameters_are_refused_before_anything_runs()
    {
        using var home = new TaskHome();
        var e = Assert.Throws<TaskValidationException>(() => home.Tasks.Create(new TaskRequest("merge", new JsonObject { ["inputs"] = new JsonArray("only-one"), ["output"] = "x" })));
        Assert.Contains("at least two", e.Message);
        e = Assert.Throws<TaskValidationException>(() => home.Tasks.Create(new TaskRequest("augment", new JsonObject { ["input"] = "p", ["output"] = "q" })));
        Assert.Contains("pipeline", e.Message);
    }
}
