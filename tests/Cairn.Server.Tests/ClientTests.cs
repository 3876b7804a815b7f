using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cairn.Client;

namespace Cairn.Server.Tests;

public sealed class ClientTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private sealed record Node(string Id, string Kind, string Title, string? Parent, string? Link, string? Status, string? Color, string? Description);

    private sealed record Edge(string From, string To, string Kind);

    private sealed record Graph(List<Node> Nodes, List<Edge> Edges);

    private async Task<Graph> GetAsync(string query) => (await server.Http.GetFromJsonAsync<Graph>("/api/v1/graph" + query))!;

    [Fact]
    public async Task Custom_application_puts_itself_on_the_graph_through_the_client()
    {
        // An upstream task whose output version the app reads, and a fresh task standing for the running app.
        var up = await server.Http.PostAsJsonAsync("/api/v1/tasks", new { kind = "filter", parameters = new { input = "tiny", output = "client-app-in" } });
        var upstream = (await up.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await TaskApiTests.WaitForEndAsync(server.Http, upstream);
        var r = await server.Http.PostAsJsonAsync("/api/v1/tasks", new { kind = "filter", parameters = new { input = "tiny", output = "client-app-out" } });
        var id = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await TaskApiTests.WaitForEndAsync(server.Http, id);
        using var client = new CairnClient(new Uri(server.BaseUrl), id);

        var version = (await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tasks/{upstream}")).GetProperty("outputs").EnumerateArray().First(o => o.GetProperty("kind").GetString() == "version").GetProperty("refId").GetInt64();
        await client.AddInputAsync(CairnNode.Version(version));
        await client.AddInputAsync(CairnNode.Task(upstream));
        using var temp = new Cairn.TestSupport.TempDir("cairn-client-");
        var weights = temp["weights.bin"];
        await File.WriteAllBytesAsync(weights, [1, 2, 3, 4]);
        var files = await client.UploadModelWeightsAsync($"apps/task-{id}/weights", [weights]);
        var report = await client.UploadFileAsync($"apps/task-{id}/report.html", new MemoryStream("<h1>ok</h1>"u8.ToArray()), "report");
        await client.SetNodeAsync(new CairnNodeSettings(Title: "my trainer", Description: "fine-tunes", Icon: "★", Color: "#123456", Link: "https://example.org/run/1"));
        await client.LogAsync("hello from the app");
        await client.ReportProgressAsync(0.25, "epoch 1");
        var info = await client.GetTaskAsync();
        var ex = await Assert.ThrowsAsync<CairnClientException>(() => client.AddOutputAsync(CairnNode.Model(999_999)));

        Assert.Equal("my trainer", info.Title);
        Assert.Equal(0.25, info.Progress);
        Assert.Equal(400, ex.StatusCode);
        Assert.Equal(4, files.Single().Size);
        Assert.Equal("checkpoint", files.Single().Kind);
        Assert.Equal("<h1>ok</h1>", await server.Http.GetStringAsync(report.Url));
        var g = await GetAsync($"?task={id}&depth=1");
        var node = g.Nodes.Single(n => n.Id == $"task:{id}");
        Assert.Equal(("my trainer", "#123456", "https://example.org/run/1", "fine-tunes"), (node.Title, node.Color, node.Link, node.Description));
        Assert.Contains(g.Edges, e => e.From == $"task:{upstream}" && e.To == node.Id && e.Kind == "input");
        Assert.Contains(g.Edges, e => e.From == node.Id && e.Kind == "output" && g.Nodes.Single(n => n.Id == e.To).Title == "weights");
        Assert.Contains(g.Nodes, n => n.Title == Path.GetFileName(weights) && n.Parent is not null);
        Assert.Contains(g.Nodes, n => n.Title == "report.html" && n.Parent is null);
        var log = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tasks/{id}/log");
        Assert.Contains(log.EnumerateArray(), l => l.GetProperty("message").GetString() == "hello from the app");

        // Descriptions are editable through the graph API.
        var put = await server.Http.PutAsJsonAsync($"/api/v1/graph/nodes/project:{server.ProjectId}", new { description = "people only" });
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Equal("people only", (await GetAsync($"?project={server.ProjectId}")).Nodes.Single(n => n.Id == $"project:{server.ProjectId}").Description);
    }
}
