using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tasks.Lineage;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Tests;

public sealed class OpenLineageTests
{
    /// <summary>A tiny OpenLineage collector: an HttpListener that keeps every posted body.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;

        public Receiver()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/api/v1/lineage/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext ctx;
                    try
                    {
                        ctx = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }

                    using (var r = new StreamReader(ctx.Request.InputStream))
                    {
                        Events.Add((ctx.Request.HttpMethod, ctx.Request.ContentType ?? string.Empty, JsonNode.Parse(await r.ReadToEndAsync())!.AsObject()));
                    }

                    ctx.Response.StatusCode = 201;
                    ctx.Response.Close();
                }
            });
        }

        public string Url { get; }

        public List<(string Method, string ContentType, JsonObject Body)> Events { get; } = [];

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task Tasks_post_start_and_complete_or_fail_run_events_with_their_datasets()
    {
        using var receiver = new Receiver();
        using var home = new TaskHome(new OpenLineageEmitter(new Uri(receiver.Url)));
        var import = await home.ImportTinyAsync();
        var filter = home.Tasks.Create(new TaskRequest("filter", new JsonObject { ["input"] = "tiny", ["output"] = "filtered" }));
        await home.Tasks.RunAsync(filter.Id);
        var failing = home.Tasks.Create(new TaskRequest("test-fail", new JsonObject { ["input"] = "tiny", ["output"] = "half" }));
        await home.Tasks.RunAsync(failing.Id);

        Assert.Equal(6, receiver.Events.Count);
        Assert.All(receiver.Events, e => Assert.Equal("POST", e.Method));
        Assert.All(receiver.Events, e => Assert.StartsWith("application/json", e.ContentType));
        var types = receiver.Events.Select(e => e.Body["eventType"]!.GetValue<string>()).ToList();
        Assert.Equal(["START", "COMPLETE", "START", "COMPLETE", "START", "FAIL"], types);

        // Shape required by the OpenLineage RunEvent schema (2-0-2): eventType, eventTime, run.runId (UUID), job.namespace/name, producer, schemaURL.
        foreach (var (_, _, e) in receiver.Events)
        {
            Assert.True(DateTimeOffset.TryParse(e["eventTime"]!.GetValue<string>(), out _));
            Assert.True(Guid.TryParse(e["run"]!["runId"]!.GetValue<string>(), out _));
            Assert.Equal("cairn", e["job"]!["namespace"]!.GetValue<string>());
            Assert.StartsWith("https://", e["producer"]!.GetValue<string>());
            Assert.Contains("OpenLineage.json#/definitions/RunEvent", e["schemaURL"]!.GetValue<string>());
            Assert.IsType<JsonArray>(e["inputs"]);
            Assert.IsType<JsonArray>(e["outputs"]);
        }

        // START and COMPLETE of one task share the run id; different tasks do not.
        Assert.Equal(receiver.Events[2].Body["run"]!["runId"]!.ToJsonString(), receiver.Events[3].Body["run"]!["runId"]!.ToJsonString());
        Assert.NotEqual(receiver.Events[0].Body["run"]!["runId"]!.ToJsonString(), receiver.Events[2].Body["run"]!["runId"]!.ToJsonString());
        Assert.Equal($"import/{import.Id}", receiver.Events[1].Body["job"]!["name"]!.GetValue<string>());

        static List<string> Names(JsonObject e, string key) => e[key]!.AsArray().Select(d => $"{d!["namespace"]}:{d["name"]}").ToList();
        Assert.Equal(["cairn:tiny", "cairn:tiny@1"], Names(receiver.Events[1].Body, "outputs"));
        Assert.Empty(Names(receiver.Events[1].Body, "inputs"));
        Assert.Equal(["cairn:tiny@1"], Names(receiver.Events[3].Body, "inputs"));
        Assert.Equal(["cairn:filtered", "cairn:filtered@1"], Names(receiver.Events[3].Body, "outputs"));
        // The failed task's output was rolled back, so FAIL lists no outputs, and carries the error message facet.
        var fail = receiver.Events[5].Body;
        Assert.Equal(["cairn:tiny@1"], Names(fail, "inputs"));
        Assert.Empty(Names(fail, "outputs"));
        Assert.Equal("deliberate failure after the output was written", fail["run"]!["facets"]!["errorMessage"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_collector_that_is_down_never_fails_a_task()
    {
        using var home = new TaskHome(new OpenLineageEmitter(new Uri("http://127.0.0.1:9/api/v1/lineage")));
        var t = await home.ImportTinyAsync();
        Assert.Equal(TaskStates.Succeeded, t.Status);
    }
}
