using System.Text.Json.Nodes;
using Cairn.Core.Serialization;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Cairn.Storage.Tasks;

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
    public async Task Copy_paste_pastes_cut_outs_of_one_project_onto_another_with_exact_labels_and_is_reproducible()
    {
        using var home = new TaskHome();
        var projects = new ProjectService(home.Store);
        await Run(home, "generate", new JsonObject { ["output"] = "scenes", ["count"] = 6, ["seed"] = 3 });
        // The objects: the same kind of scenes with circles renamed, so pasted labels are told apart from the background's.
        await Run(home, "transform", new JsonObject
        {
            ["input"] = "scenes@1",
            ["output"] = "objects",
            ["ops"] = new JsonArray(new JsonObject { ["op"] = "renameClass", ["from"] = "circle", ["to"] = "disc" }),
        });
        var parameters = new JsonObject
        {
            ["input"] = "scenes@1", ["objects"] = "objects@1", ["classes"] = new JsonArray("disc"), ["perBackground"] = 2,
            ["minObjects"] = 1, ["maxObjects"] = 1, ["scaleMin"] = 1, ["scaleMax"] = 1, ["flip"] = 0, ["seed"] = 9,
        };
        parameters["output"] = "pasted";
        var done = await Run(home, "copy-paste", parameters.DeepClone().AsObject());
        var result = JsonNode.Parse(done.ResultJson!)!;
        Assert.Equal(12, result["items"]!.GetValue<int>());
        Assert.True(result["cutOuts"]!.GetValue<int>() > 0);

        var backgrounds = projects.StreamItems(projects.Find("scenes")!.Id).ToDictionary(x => Path.GetFileNameWithoutExtension(x.Item.Name), x => AnnotationJson.Parse(x.Item.AnnotationJson));
        var pasted = projects.Find("pasted")!;
        var outputs = projects.StreamItems(pasted.Id).Select(x => x.Item).ToList();
        Assert.Equal(12, outputs.Count);
        foreach (var o in outputs)
        {
            var labels = AnnotationJson.Parse(o.AnnotationJson).Labels;
            // One object pasted, last, so nothing hides it: exactly one disc label per output, a polygon.
            var disc = Assert.Single(labels, l => l.ClassName == "disc");
            Assert.IsType<Cairn.Core.Model.PolygonGeometry>(disc.Geometry);
            // The background's own labels stay (clipped where the object covers them, a polygon possibly in pieces).
            var stem = o.Name[..o.Name.LastIndexOf("_cp", StringComparison.Ordinal)];
            var before = backgrounds[stem].Labels.Select(l => l.ClassName).ToHashSet();
            Assert.All(labels.Where(l => l.ClassName != "disc"), l => Assert.Contains(l.ClassName, before));
        }

        var meta = ProjectMetaJson.Parse(pasted.MetaJson);
        Assert.Equal(Cairn.Core.Model.GeometryKind.Polygon, meta.FindClass("disc")!.Shape);
        Assert.NotNull(meta.FindClass("circle"));

        // Same seed, same images and labels.
        parameters["output"] = "pasted-again";
        await Run(home, "copy-paste", parameters);
        var again = projects.StreamItems(projects.Find("pasted-again")!.Id).Select(x => x.Item).ToList();
        Assert.Equal(outputs.Select(o => (o.Name, o.ImageId, o.AnnotationJson)), again.Select(o => (o.Name, o.ImageId, o.AnnotationJson)));

        // A source without polygons or masks fails with what to do, and leaves no project behind.
        await Run(home, "transform", new JsonObject
        {
            ["input"] = "scenes@1",
            ["output"] = "boxes",
            ["ops"] = new JsonArray(new JsonObject { ["op"] = "convertShape", ["to"] = "Rectangle" }),
        });
        var row = home.Tasks.Create(new TaskRequest("copy-paste", new JsonObject { ["input"] = "scenes@1", ["objects"] = "boxes@1", ["output"] = "nothing" }));
        var failed = await home.Tasks.RunAsync(row.Id);
        Assert.Equal(TaskStates.Failed, failed.Status);
        Assert.Contains("no polygon or mask labels", failed.Error);
        Assert.Null(projects.Find("nothing"));

        var bad = Assert.Throws<TaskValidationException>(() => home.Tasks.Create(new TaskRequest("copy-paste", new JsonObject { ["input"] = "scenes@1", ["objects"] = "objects@1", ["output"] = "x", ["perBackground"] = "two" })));
        Assert.Contains("parameter 'perBackground': expected a whole number", bad.Message);
    }

    [Fact]
    public async Task Merge_takes_single_datasets_and_can_put_everything_into_one()
    {
        using var home = new TaskHome();
        var projects = new ProjectService(home.Store);
        await Run(home, "generate", new JsonObject { ["output"] = "scenes", ["count"] = 12, ["seed"] = 5 });
        await Run(home, "split", new JsonObject
        {
            ["input"] = "scenes@1",
            ["output"] = "parts",
            ["parts"] = new JsonArray(new JsonObject { ["name"] = "train", ["count"] = 9 }, new JsonObject { ["name"] = "val", ["count"] = 3 }),
        });
        var parts = projects.Find("parts")!;
        Assert.Equal(["train", "val"], projects.Datasets(parts.Id).Select(d => d.Path));

        // Only the val dataset of parts, merged with the whole scenes project, into one dataset.
        await Run(home, "merge", new JsonObject { ["inputs"] = new JsonArray("parts@1:val", "scenes@1"), ["output"] = "mixed", ["dataset"] = "all" });
        var mixed = projects.Find("mixed")!;
        var datasets = projects.Datasets(mixed.Id);
        Assert.Equal("all", Assert.Single(datasets).Path);
        Assert.Equal(15, datasets[0].Items);
        // The three val images are also in scenes: same names in one dataset get suffixes, nothing is lost.
        Assert.Equal(3, projects.StreamItems(mixed.Id).Count(x => x.Item.Name.Contains("_2", StringComparison.Ordinal)));

        // Two datasets of one project into one.
        await Run(home, "merge", new JsonObject { ["inputs"] = new JsonArray("parts@1:train", "parts@1:val"), ["output"] = "joined", ["dataset"] = "train+val" });
        Assert.Equal(12, Assert.Single(projects.Datasets(projects.Find("joined")!.Id)).Items);

        var row = home.Tasks.Create(new TaskRequest("merge", new JsonObject { ["inputs"] = new JsonArray("parts@1:test", "scenes@1"), ["output"] = "none" }));
        var failed = await home.Tasks.RunAsync(row.Id);
        Assert.Equal(TaskStates.Failed, failed.Status);
        Assert.Contains("has no dataset 'test' (it has train, val)", failed.Error);
        Assert.Null(projects.Find("none"));
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
