using System.Diagnostics;
using System.Text.Json.Nodes;
using Cairn.Core.Model;
using Cairn.Core.Serialization;
using Cairn.Storage;
using Cairn.Storage.Catalog;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Cairn.Tasks;
using Cairn.Tasks.Kinds;
using Cairn.Storage.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Demo;

/// <summary>
/// Fills an empty store with the seed system's example workflow, built by Cairn's own operations with no external data:
/// generated shapes (v1) → a labels edit (v2) → augmentation → train/val split → an external training run → the sample
/// model registered → two benchmarks on the val version, ready to compare.
/// </summary>
public sealed class DemoSeeder(CairnStore store)
{
    /// <summary>Name of the demo workspace's first project.</summary>
    public const string ShapesProject = "shapes";

    /// <summary>Seeds unless the store already has projects; returns false when it did nothing.</summary>
    public async Task<bool> SeedAsync(IProgress<string>? log = null, CancellationToken ct = default)
    {
        // The seeder runs on a store of its own (before the server opens it), so it wires its services itself.
        using var services = new ServiceCollection().AddSingleton(store).AddCairn(store.Home, listeners: []).AddSingleton<ITaskKind, RunTaskKind>().BuildServiceProvider();
        var projects = services.GetRequiredService<ProjectService>();
        if (projects.List().Count > 0)
        {
            log?.Report("the store already has projects: demo not seeded");
            return false;
        }

        var clock = Stopwatch.StartNew();
        projects.DescribeDefaultWorkspace("Demo", "The example workflow: generate, edit, augment, split, train, benchmark.");
        var tasks = services.GetRequiredService<TaskService>();

        log?.Report("generating 120 synthetic scenes");
        await Run(tasks, "generate", new JsonObject { ["output"] = ShapesProject, ["count"] = 120, ["seed"] = 7 }, "Generate synthetic shapes", "Procedural scenes (circles, squares, triangles on noisy gradients) with exact polygon labels.", ct);

        log?.Report("editing labels and taking version 2");
        EditLabels(projects);
        var shapes = projects.Find(ShapesProject)!;
        services.GetRequiredService<VersionService>().Create(shapes.Id, "labels reviewed", "Tiny objects dropped, reviewed images tagged.", "demo", ct: ct);

        log?.Report("augmenting");
        var pipeline = new JsonObject
        {
            ["seed"] = 11,
            ["outputsPerImage"] = 1,
            ["output"] = new JsonObject { ["format"] = "png" },
            ["steps"] = new JsonArray(
                new JsonObject { ["op"] = "hflip", ["p"] = 0.5 },
                new JsonObject { ["op"] = "rotate", ["angle"] = new JsonArray(-10, 10) },
                new JsonObject { ["op"] = "brightness", ["delta"] = new JsonArray(-15, 15) },
                new JsonObject { ["op"] = "gaussianNoise", ["sigma"] = 4 }),
        };
        await Run(tasks, "augment", new JsonObject { ["input"] = $"{ShapesProject}@2", ["output"] = "shapes-augmented", ["pipeline"] = pipeline, ["keepOriginals"] = true }, "Augment shapes", "Flip, small rotation, brightness and noise; originals kept.", ct);

        log?.Report("splitting into train and val");
        await Run(tasks, "split", new JsonObject
        {
            ["input"] = "shapes-augmented@1",
            ["output"] = "shapes",
            ["separate"] = true,
            ["seed"] = 5,
            ["stratified"] = true,
            ["parts"] = new JsonArray(new JsonObject { ["name"] = "train", ["ratio"] = 0.8 }, new JsonObject { ["name"] = "val", ["ratio"] = 0.2 }),
        }, "Split train/val", "80/20, stratified by class.", ct);

        var samples = FindSamples();
        if (samples is null)
        {
            log?.Report("samples/ not found next to the program: the training run and the benchmarks are left out");
            return true;
        }

        log?.Report("recording an external training run");
        await Run(tasks, "run", new JsonObject
        {
            ["command"] = new JsonArray("sh", Path.Combine(samples, "train.sh"), "3"),
            ["inputs"] = new JsonArray(new JsonObject { ["spec"] = "shapes-train@1", ["format"] = "yolo" }),
            ["workdir"] = samples,
        }, "Train detector (samples/train.sh)", "An external trainer run by `cairn run`: the input version materialised as YOLO, checkpoints and metrics recorded.", ct);

        log?.Report("registering the sample model");
        var registry = services.GetRequiredService<Operations.Models.ModelRegistry>();
        registry.Add(Path.Combine(samples, "shapes-det.onnx"), "shapes-det", ["circle", "square", "triangle"], description: "Sample detector, YOLOv8 layout, 256×256 input.");

        log?.Report("benchmarking the model on the val version");
        await Run(tasks, "benchmark", new JsonObject { ["model"] = "shapes-det", ["input"] = "shapes-val@1", ["speedIterations"] = 5 }, "Benchmark shapes-det on shapes-val@1", "Ultralytics validation settings: conf ≥ 0.001, NMS IoU 0.7.", ct);
        await Run(tasks, "benchmark", new JsonObject { ["model"] = "shapes-det", ["input"] = "shapes-val@1", ["conf"] = 0.25, ["speedIterations"] = 5, ["title"] = "shapes-det, conf 0.25" }, "Benchmark shapes-det at conf 0.25", "The same model with deployment's confidence threshold, for comparison.", ct);
        log?.Report($"demo seeded in {clock.Elapsed.TotalSeconds:0.0} s");
        return true;
    }

    private async Task<TaskRow> Run(TaskService tasks, string kind, JsonObject parameters, string title, string description, CancellationToken ct)
    {
        var row = tasks.Create(new TaskRequest(kind, parameters, title, description, "demo"));
        var done = await tasks.RunAsync(row.Id, null, ct);
        if (done.Status != TaskStates.Succeeded)
        {
            throw new InvalidOperationException($"demo step '{title}' (task {done.Id}) {done.Status}: {done.Error}");
        }

        return done;
    }

    private static void EditLabels(ProjectService projects)
    {
        var p = projects.Find(ShapesProject)!;
        var meta = ProjectMetaJson.Parse(p.MetaJson);
        projects.UpdateMeta(p.Id, meta with { Tags = [.. meta.Tags, new TagMeta("reviewed", TagValueType.None)] });
        var k = 0;
        foreach (var item in projects.Items(p.Id, take: 40))
        {
            var ann = AnnotationJson.Parse(item.AnnotationJson);
            var kept = ann.Labels.Where(l => l.Geometry.Area() >= 150).ToList();
            if (kept.Count != ann.Labels.Count || k++ % 4 == 0)
            {
                projects.UpdateAnnotation(item.Id, ann with { Labels = kept, Tags = [.. ann.Tags, new Tag("reviewed")] }, "demo");
            }
        }
    }

    private static string? FindSamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples");
            if (File.Exists(Path.Combine(candidate, "shapes-det.onnx")) && File.Exists(Path.Combine(candidate, "train.sh")))
            {
                return candidate;
            }
        }

        var cwd = Path.Combine(Environment.CurrentDirectory, "samples");
        return File.Exists(Path.Combine(cwd, "shapes-det.onnx")) ? cwd : null;
    }
}
