using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cairn.Storage;
using Cairn.Tasks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Cairn.Storage.Tasks;

namespace Cairn.Server.Tests;

public abstract class TaskApiTestsBase(ServerFixture server)
{
    internal static async Task<JsonElement> WaitForEndAsync(HttpClient http, long id)
    {
        // Generous: the job is picked up within the 200 ms queue poll, but the test machine is shared and often saturated.
        var last = "none";
        for (var i = 0; i < 900; i++)
        {
            var t = (await http.GetFromJsonAsync<JsonElement>($"/api/v1/tasks/{id}")).GetProperty("task");
            last = t.GetProperty("status").GetString()!;
            if (TaskStates.IsFinal(last))
            {
                return t;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"task {id} did not finish in 90 s (last status {last})");
    }

    [Fact]
    public async Task Task_started_through_the_api_runs_on_a_job_worker_and_records_its_input_version_and_outputs()
    {
        var r = await server.Http.PostAsJsonAsync("/api/v1/tasks", new { kind = "filter", parameters = new { input = "tiny", output = "api-filtered", classes = new[] { "person" } } });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        var created = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("queued", created.GetProperty("status").GetString());
        var id = created.GetProperty("id").GetInt64();

        var t = await WaitForEndAsync(server.Http, id);
        Assert.Equal("succeeded", t.GetProperty("status").GetString());
        var detail = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tasks/{id}");
        var input = detail.GetProperty("inputs").EnumerateArray().Single();
        Assert.Equal("version", input.GetProperty("kind").GetString());
        Assert.StartsWith("tiny@", input.GetProperty("title").GetString());
        Assert.Equal(["project", "version"], detail.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("kind").GetString()));
        var log = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tasks/{id}/log");
        Assert.Contains(log.EnumerateArray(), l => l.GetProperty("message").GetString() == "task succeeded");
        // The task page lists the output project as a link.
        var html = await server.Http.GetStringAsync($"/tasks/{id}");
        Assert.Contains("api-filtered</a>", html);
    }

    [Fact]
    public async Task Operation_form_on_the_project_page_starts_a_split_task()
    {
        var form = await server.Http.GetStringAsync($"/projects/{server.ProjectId}/operations");
        Assert.Contains("id=\"op-split\"", form);
        Assert.Contains("id=\"op-filter\"", form);
        // What the browser posts for the split form (field conventions in OperationForms).
        using var post = await Forms.FromPageAsync(server.Http, $"/projects/{server.ProjectId}/operations", new Dictionary<string, string>
        {
            ["kind"] = "split",
            ["p.input"] = "tiny",
            ["p.parts$"] = "[{\"name\":\"train\",\"ratio\":0.8},{\"name\":\"val\",\"ratio\":0.2}]",
            ["p.target"] = "datasets",
            ["p.stratified?"] = "true",
            ["p.seed#"] = "3",
            ["p.output"] = "form-split",
        });
        var r = await server.Http.PostAsync("/tasks/start", post);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var id = long.Parse(r.RequestMessage!.RequestUri!.Segments[^1], System.Globalization.CultureInfo.InvariantCulture);
        var t = await WaitForEndAsync(server.Http, id);
        Assert.True(t.GetProperty("status").GetString() == "succeeded", t.GetProperty("error").ToString());
        var parameters = t.GetProperty("parameters");
        Assert.Equal(JsonValueKind.True, parameters.GetProperty("stratified").ValueKind);
        Assert.Equal(3, parameters.GetProperty("seed").GetInt64());
        var project = await server.Http.GetFromJsonAsync<JsonElement>("/api/v1/projects");
        var split = project.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "form-split");
        var detail = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{split.GetProperty("id").GetInt64()}");
        var datasets = detail.GetProperty("datasets").EnumerateArray().Select(d => (d.GetProperty("path").GetString(), d.GetProperty("items").GetInt32())).ToList();
        // tiny-coco val2017: 50 images, split 80/20.
        Assert.Equal(50, datasets.Sum(d => d.Item2));
        Assert.Equal(2, datasets.Count);
    }

    [Fact]
    public async Task Merge_form_takes_a_list_of_inputs_and_a_bad_field_is_named()
    {
        var form = await server.Http.GetStringAsync($"/projects/{server.ProjectId}/operations");
        Assert.Contains("id=\"op-copy-paste\"", form);
        Assert.Contains("name=\"p.inputs[]\" required size=\"50\" value=\"tiny, \"", form);
        using var post = await Forms.FromPageAsync(server.Http, $"/projects/{server.ProjectId}/operations", new Dictionary<string, string>
        {
            ["kind"] = "merge",
            ["p.inputs[]"] = "tiny, tiny",
            ["p.skipDuplicates?"] = "true",
            ["p.renames$"] = "",
            ["p.output"] = "form-merge",
        });
        var r = await server.Http.PostAsync("/tasks/start", post);
        var id = long.Parse(r.RequestMessage!.RequestUri!.Segments[^1], System.Globalization.CultureInfo.InvariantCulture);
        var t = await WaitForEndAsync(server.Http, id);
        Assert.True(t.GetProperty("status").GetString() == "succeeded", t.GetProperty("error").ToString());
        Assert.Equal(50, t.GetProperty("result").GetProperty("duplicates").GetInt32());

        using var bad = await Forms.FromPageAsync(server.Http, $"/projects/{server.ProjectId}/operations", new Dictionary<string, string>
        {
            ["kind"] = "merge",
            ["p.inputs[]"] = "tiny, tiny",
            ["p.renames$"] = "[{oops",
            ["p.output"] = "form-merge-2",
        });
        var page = await (await server.Http.PostAsync("/tasks/start", bad)).Content.ReadAsStringAsync();
        Assert.Contains("Field 'renames': expected JSON, got '[{oops'", WebUtility.HtmlDecode(page));
    }

    [Fact]
    public async Task A_benchmark_whose_model_classes_match_none_of_the_data_is_a_problem_naming_both_lists()
    {
        // shapes-det.onnx names no classes (class_0…class_2); tiny holds COCO's classes.
        var name = "nameless-" + Guid.NewGuid().ToString("N")[..8];
        using (var upload = new MultipartFormDataContent())
        {
            upload.Add(new ByteArrayContent(await File.ReadAllBytesAsync(Cairn.TestSupport.SharedData.Resolve("models/shapes-det.onnx"))), "file", "shapes-det.onnx");
            upload.Add(new StringContent(name), "name");
            var added = await server.Http.PostAsync("/api/v1/models", upload);
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        }

        var r = await server.Http.PostAsJsonAsync("/api/v1/tasks", new { kind = "benchmark", parameters = new { model = name, input = "tiny" } });
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var detail = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("class_0, class_1, class_2", detail);
        Assert.Contains("person", detail);

        using var form = await Forms.FromPageAsync(server.Http, $"/projects/{server.ProjectId}/operations", new Dictionary<string, string> { ["kind"] = "benchmark", ["p.model"] = name, ["p.input"] = "tiny" });
        var page = await server.Http.PostAsync("/tasks/start", form);
        Assert.Equal((HttpStatusCode)422, page.StatusCode);
        Assert.Contains("no class of the model matches", WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Bad_parameters_are_a_400_naming_the_parameter()
    {
        var r = await server.Http.PostAsJsonAsync("/api/v1/tasks", new { kind = "filter", parameters = new { input = "tiny" } });
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("parameter 'output'", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Web_only_server_enqueues_and_a_separate_worker_host_on_the_same_home_runs_the_job()
    {
        var home = Path.Combine(Path.GetTempPath(), "cairn-worker-" + Guid.NewGuid().ToString("N"));
        using (var store = CairnStore.Open(home))
        {
            new Storage.Projects.ProjectImporter(store).Import("coco", TestSupport.SharedData.Resolve("tiny-coco"), "tiny", new Core.Formats.ImportOptions(Core.Formats.ImportLimits.Default, "annotations/instances_val2017.json"));
        }

        // What `cairn worker` builds: a host with the task services and job workers, no web UI.
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(_ => CairnStore.Open(home));
        Tasks.Jobs.TaskServices.AddCairnTasks(builder.Services, home, runJobs: true);
        using var worker = builder.Build();
        await worker.StartAsync();
        var app = CairnServer.Build(new CairnServerOptions { Home = home, Urls = "http://127.0.0.1:0", RunJobs = false });
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
            var r = await http.PostAsJsonAsync("/api/v1/tasks", new { kind = "filter", parameters = new { input = "tiny", output = "by-worker" } });
            var t = await WaitForEndAsync(http, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
            Assert.Equal("succeeded", t.GetProperty("status").GetString());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            await worker.StopAsync();
            try
            {
                Directory.Delete(home, true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public async Task Server_start_fails_tasks_left_running_by_a_dead_process()
    {
        var home = Path.Combine(Path.GetTempPath(), "cairn-restart-" + Guid.NewGuid().ToString("N"));
        long id;
        using (var store = CairnStore.Open(home))
        {
            using var services = new ServiceCollection().AddSingleton(store).AddCairn(home, listeners: []).BuildServiceProvider();
            var tasks = services.GetRequiredService<TaskService>();
            id = tasks.Create(new TaskRequest("filter", new System.Text.Json.Nodes.JsonObject { ["input"] = "x", ["output"] = "y" })).Id;
            using var db = store.Catalog();
            // What a killed server leaves behind: running, heartbeat long ago.
            db.Tasks.Where(t => t.Id == id).ExecuteUpdate(s => s.SetProperty(t => t.Status, TaskStates.Running).SetProperty(t => t.HeartbeatAt, DateTime.UtcNow.AddMinutes(-5)));
        }

        var app = CairnServer.Build(new CairnServerOptions { Home = home, Urls = "http://127.0.0.1:0" });
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
            var t = await WaitForEndAsync(http, id);
            Assert.Equal("failed", t.GetProperty("status").GetString());
            Assert.Contains("server restart or crash", t.GetProperty("error").GetString());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try
            {
                Directory.Delete(home, true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>On the home's SQLite catalog and jobs.db.</summary>
public sealed class TaskApiTests(ServerFixture server) : TaskApiTestsBase(server), IClassFixture<ServerFixture>;

/// <summary>The same tasks with the catalog and the job queue in PostgreSQL.</summary>
public sealed class PostgresTaskApiTests(PostgresServerFixture server) : TaskApiTestsBase(server), IClassFixture<PostgresServerFixture>;
