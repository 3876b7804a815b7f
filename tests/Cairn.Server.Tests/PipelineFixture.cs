using System.Text.Json.Nodes;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.Tasks;
using Cairn.Tasks.Kinds;
using Cairn.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Cairn.Storage.Tasks;

namespace Cairn.Server.Tests;

/// <summary>
/// Small pipelines run through real tasks, then served: import tiny-coco val2017 → filter (person) → external run
/// (a shell script writing two checkpoints in weights/ and a metrics.json); and the issue's own shape on a second
/// import: import → augment → split → external run → files.
/// </summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    /// <summary>The script of the external run.</summary>
    public const string Script = "mkdir -p \"$CAIRN_OUTPUT_DIR/weights\" && printf best > \"$CAIRN_OUTPUT_DIR/weights/best.pt\" && printf last > \"$CAIRN_OUTPUT_DIR/weights/last.pt\" && echo '{\"mAP50\": 0.42}' > \"$CAIRN_OUTPUT_DIR/metrics.json\" && echo trained";

    private WebApplication? _app;

    public string Home { get; } = Path.Combine(Path.GetTempPath(), "cairn-pipeline-tests-" + Guid.NewGuid().ToString("N"));

    public string BaseUrl { get; private set; } = string.Empty;

    public HttpClient Http { get; private set; } = new();

    public long ImportTask { get; private set; }

    public long FilterTask { get; private set; }

    public long RunTask { get; private set; }

    public long TinyId { get; private set; }

    public long PeopleId { get; private set; }

    public long PipeId { get; private set; }

    public long AugmentTask { get; private set; }

    public long SplitTask { get; private set; }

    public long PipeRunTask { get; private set; }

    public async Task InitializeAsync()
    {
        using (var store = CairnStore.Open(Home))
        {
            using var services = new ServiceCollection().AddSingleton(store).AddCairn(Home, listeners: []).AddSingleton<ITaskKind, RunTaskKind>().BuildServiceProvider();
            var tasks = services.GetRequiredService<TaskService>();
            async Task<long> RunAsync(string kind, JsonObject p, string? title = null)
            {
                var t = await tasks.RunAsync(tasks.Create(new TaskRequest(kind, p, title)).Id);
                Assert.True(t.Status == TaskStates.Succeeded, $"{kind} task {t.Status}: {t.Error}");
                return t.Id;
            }

            ImportTask = await RunAsync("import", new JsonObject { ["format"] = "coco", ["path"] = SharedData.Resolve("tiny-coco"), ["project"] = "tiny", ["annotations"] = "annotations/instances_val2017.json" });
            FilterTask = await RunAsync("filter", new JsonObject { ["input"] = "tiny", ["output"] = "tiny-people", ["classes"] = new JsonArray("person") });
            RunTask = await RunAsync("run", new JsonObject { ["command"] = new JsonArray("sh", "-c", Script), ["inputs"] = new JsonArray(new JsonObject { ["spec"] = "tiny-people", ["format"] = "yolo" }) }, "train");
            await RunAsync("import", new JsonObject { ["format"] = "coco", ["path"] = SharedData.Resolve("tiny-coco"), ["project"] = "pipe", ["annotations"] = "annotations/instances_val2017.json" });
            AugmentTask = await RunAsync("augment", new JsonObject
            {
                ["input"] = "pipe",
                ["output"] = "pipe-aug",
                ["pipeline"] = new JsonObject { ["seed"] = 1, ["steps"] = new JsonArray(new JsonObject { ["op"] = "hflip" }) },
            });
            SplitTask = await RunAsync("split", new JsonObject
            {
                ["input"] = "pipe-aug",
                ["output"] = "pipe",
                ["separate"] = true,
                ["parts"] = new JsonArray(new JsonObject { ["name"] = "train", ["ratio"] = 0.8 }, new JsonObject { ["name"] = "val", ["ratio"] = 0.2 }),
            });
            PipeRunTask = await RunAsync("run", new JsonObject { ["command"] = new JsonArray("sh", "-c", Script), ["inputs"] = new JsonArray(new JsonObject { ["spec"] = "pipe-train", ["format"] = "coco" }) }, "train on pipe");
            PipeId = new ProjectService(store).Find("pipe")!.Id;
            TinyId = new ProjectService(store).Find("tiny")!.Id;
            PeopleId = new ProjectService(store).Find("tiny-people")!.Id;
        }

        (_app, BaseUrl) = await TestServer.StartAsync(Home);
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await TestServer.StopAsync(_app, Home);
    }
}
