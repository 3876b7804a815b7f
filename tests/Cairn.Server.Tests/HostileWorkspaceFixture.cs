using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace Cairn.Server.Tests;

/// <summary>
/// A server whose every user-named thing is hostile markup: project, dataset, class, item, version, task (title, log,
/// node icon, colour and link), file, model and benchmark. Built from tiny-coco's first two images, renamed.
/// </summary>
public sealed class HostileWorkspaceFixture : IAsyncLifetime
{
    /// <summary>A script element, as text.</summary>
    public const string Script = "<script>alert(1)</script>";

    /// <summary>Breaks out of a double-quoted attribute into an element with an inline handler.</summary>
    public const string Breaker = "\"><img src=x onerror=alert(1)>";

    private WebApplication? _app;

    /// <summary>The temporary home.</summary>
    public string Home { get; } = Path.Combine(Path.GetTempPath(), "cairn-hostile-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Base address.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>An HTTP client on the server.</summary>
    public HttpClient Http { get; private set; } = new();

    /// <summary>The hostile project.</summary>
    public long ProjectId { get; private set; }

    /// <summary>Its datasets (one named <see cref="Script"/>, one <see cref="Breaker"/>).</summary>
    public IReadOnlyList<long> DatasetIds { get; private set; } = [];

    /// <summary>An item named with <see cref="Breaker"/>.</summary>
    public long ItemId { get; private set; }

    /// <summary>The generate task titled <see cref="Script"/>.</summary>
    public long TaskId { get; private set; }

    /// <summary>The file the task holds, an HTML page with a script.</summary>
    public long FileId { get; private set; }

    /// <summary>The model named <see cref="Script"/>.</summary>
    public long ModelId { get; private set; }

    /// <summary>The benchmark titled <see cref="Breaker"/>.</summary>
    public long EvaluationId { get; private set; }

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        var source = Path.Combine(Home, "source");
        var coco = JsonNode.Parse(await File.ReadAllTextAsync(SharedData.Resolve("tiny-coco/annotations/instances_val2017.json")))!;
        var images = coco["images"]!.AsArray().Take(2).Select(i => i!.DeepClone()).ToList();
        var imageIds = images.Select(i => i!["id"]!.GetValue<long>()).ToHashSet();
        var annotations = coco["annotations"]!.AsArray().Where(a => imageIds.Contains(a!["image_id"]!.GetValue<long>())).Select(a => a!.DeepClone()).ToList();
        // Every label becomes one of two classes named with markup.
        for (var k = 0; k < annotations.Count; k++)
        {
            annotations[k]!["category_id"] = (k % 2) + 1;
        }

        // Two datasets (folders) named with markup, an item in each named with markup.
        var folders = new[] { Script, Breaker };
        for (var k = 0; k < images.Count; k++)
        {
            var original = images[k]!["file_name"]!.GetValue<string>();
            var fileName = $"{folders[k]}/{Breaker}{k}.jpg";
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(source, fileName))!);
            File.Copy(SharedData.Resolve("tiny-coco/val2017/" + original), Path.Combine(source, fileName));
            images[k]!["file_name"] = fileName;
        }

        var doc = new JsonObject
        {
            ["images"] = new JsonArray([.. images]),
            ["annotations"] = new JsonArray([.. annotations]),
            ["categories"] = new JsonArray(new JsonObject { ["id"] = 1, ["name"] = Script }, new JsonObject { ["id"] = 2, ["name"] = Breaker }),
        };
        Directory.CreateDirectory(Path.Combine(source, "annotations"));
        await File.WriteAllTextAsync(Path.Combine(source, "annotations", "hostile.json"), doc.ToJsonString());

        using (var store = CairnStore.Open(Path.Combine(Home, "home")))
        {
            var result = new ProjectImporter(store).Import(
                "coco", source, Script, new Core.Formats.ImportOptions(Core.Formats.ImportLimits.Default, "annotations/hostile.json"), description: Breaker);
            ProjectId = result.Project.Id;
        }

        (_app, BaseUrl) = await TestServer.StartAsync(Path.Combine(Home, "home"));
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };

        var project = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{ProjectId}");
        DatasetIds = project.GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(2, DatasetIds.Count);
        var items = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{ProjectId}/items");
        var item = items.EnumerateArray().First();
        ItemId = item.GetProperty("id").GetInt64();

        // Version 1, then a change, so the diff lists the item and the classes.
        await Ok(Http.PostAsJsonAsync($"/api/v1/projects/{ProjectId}/versions", new { title = Script, description = Breaker }));
        await Ok(Http.PutAsJsonAsync($"/api/v1/items/{ItemId}/annotation", new
        {
            w = item.GetProperty("width").GetInt32(),
            h = item.GetProperty("height").GetInt32(),
            labels = new object[] { new { @class = Script, type = "rectangle", box = new[] { 10, 10, 120, 90 } }, new { @class = Breaker, type = "point", xy = new[] { 50, 60 } } },
        }));

        // A task with markup in its title, log, output name and node settings (a javascript: link among them).
        var shapes = "shapes" + Breaker;
        var started = await Ok(Http.PostAsJsonAsync("/api/v1/tasks", new { kind = "generate", parameters = new { count = 4, seed = 3, output = shapes }, title = Script, description = Breaker }));
        TaskId = started.GetProperty("id").GetInt64();
        await WaitForAsync(TaskId);
        await Ok(Http.PostAsJsonAsync($"/api/v1/tasks/{TaskId}/log", new { message = Script + Breaker, level = "warning" }));
        await Ok(Http.PutAsJsonAsync($"/api/v1/tasks/{TaskId}/node", new { description = Breaker, icon = Script, color = "red;background:url(/x)", link = "javascript:alert(1)" }));
        using (var html = new StringContent("<html><body><script>alert(1)</script><svg onload=alert(1)></svg></body></html>"))
        {
            FileId = (await Ok(Http.PostAsync($"/api/v1/tasks/{TaskId}/files?path=evil.html&kind=report", html))).GetProperty("id").GetInt64();
        }

        // A model and a benchmark on the generated project.
        using (var upload = new MultipartFormDataContent())
        {
            upload.Add(new ByteArrayContent(await File.ReadAllBytesAsync(SharedData.Resolve("models/shapes-det.onnx"))), "file", "shapes-det.onnx");
            upload.Add(new StringContent(Script), "name");
            upload.Add(new StringContent("circle,square,triangle"), "classes");
            ModelId = (await Ok(Http.PostAsync("/api/v1/models", upload))).GetProperty("id").GetInt64();
        }

        var bench = await Ok(Http.PostAsJsonAsync("/api/v1/tasks", new { kind = "benchmark", parameters = new { model = Script, input = shapes, title = Breaker } }));
        await WaitForAsync(bench.GetProperty("id").GetInt64());
        var evaluations = await Http.GetFromJsonAsync<JsonElement>($"/api/v1/evaluations?model={ModelId}");
        EvaluationId = evaluations.EnumerateArray().Single().GetProperty("id").GetInt64();
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        Http.Dispose();
        await TestServer.StopAsync(_app, Home);
    }

    private static async Task<JsonElement> Ok(Task<HttpResponseMessage> request)
    {
        using var r = await request;
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"{r.RequestMessage?.Method} {r.RequestMessage?.RequestUri}: {(int)r.StatusCode} {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task WaitForAsync(long taskId)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var task = (await Http.GetFromJsonAsync<JsonElement>($"/api/v1/tasks/{taskId}")).GetProperty("task");
            var status = task.GetProperty("status").GetString();
            if (status == "succeeded")
            {
                return;
            }

            Assert.True(status is "queued" or "running", $"task {taskId} ended {status}: {task.GetProperty("error")}");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), $"task {taskId} did not finish in 120 s");
            await Task.Delay(200);
        }
    }
}
