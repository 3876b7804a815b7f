using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Storage.Catalog;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Lineage;

/// <summary>
/// Posts OpenLineage run events (START, COMPLETE, FAIL, ABORT) for tasks to a collector such as Marquez.
/// Inputs and outputs become datasets in namespace "cairn", named by their graph title (e.g. <c>shapes@2</c>).
/// </summary>
public sealed class OpenLineageEmitter(Uri endpoint, HttpClient? http = null) : ITaskListener
{
    /// <summary>The namespace of jobs and datasets.</summary>
    public const string Namespace = "cairn";

    private const string Producer = "https://github.com/cairn-mlops/cairn";
    private const string SchemaUrl = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent";
    private readonly HttpClient _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The collector's endpoint (e.g. http://marquez:5000/api/v1/lineage).</summary>
    public Uri Endpoint => endpoint;

    /// <summary>An emitter for CAIRN_OPENLINEAGE_URL, or null when it is not set.</summary>
    public static OpenLineageEmitter? FromEnvironment() =>
        Environment.GetEnvironmentVariable("CAIRN_OPENLINEAGE_URL") is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? new OpenLineageEmitter(uri)
            : null;

    /// <inheritdoc/>
    public Task StartedAsync(TaskRow task, IReadOnlyList<TaskRelationRow> relations, CancellationToken ct) =>
        PostAsync(Event("START", task, relations, task.StartedAt ?? DateTime.UtcNow), ct);

    /// <inheritdoc/>
    public Task FinishedAsync(TaskRow task, IReadOnlyList<TaskRelationRow> relations, CancellationToken ct) =>
        PostAsync(Event(task.Status switch { TaskStates.Succeeded => "COMPLETE", TaskStates.Cancelled => "ABORT", _ => "FAIL" }, task, relations, task.EndedAt ?? DateTime.UtcNow), ct);

    /// <summary>The run event document for a task (exposed for tests and for <c>cairn</c> tools that print it).</summary>
    public static JsonObject Event(string eventType, TaskRow task, IReadOnlyList<TaskRelationRow> relations, DateTime time)
    {
        var run = new JsonObject { ["runId"] = RunId(task.Id, task.CreatedAt).ToString() };
        if (eventType == "FAIL" && task.Error is not null)
        {
            run["facets"] = new JsonObject
            {
                ["errorMessage"] = new JsonObject
                {
                    ["_producer"] = Producer,
                    ["_schemaURL"] = "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet",
                    ["message"] = task.Error,
                    ["programmingLanguage"] = "C#",
                },
            };
        }

        return new JsonObject
        {
            ["eventType"] = eventType,
            ["eventTime"] = DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture),
            ["run"] = run,
            ["job"] = new JsonObject { ["namespace"] = Namespace, ["name"] = $"{task.Kind}/{task.Id.ToString(CultureInfo.InvariantCulture)}" },
            ["inputs"] = Datasets(relations, "input"),
            ["outputs"] = Datasets(relations, "output"),
            ["producer"] = Producer,
            ["schemaURL"] = SchemaUrl,
        };
    }

    /// <summary>A stable UUID for a task's run (derived from its id and creation time), so START and COMPLETE pair up.</summary>
    public static Guid RunId(long taskId, DateTime createdAt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"cairn-task:{taskId}:{createdAt.Ticks}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    private static JsonArray Datasets(IReadOnlyList<TaskRelationRow> relations, string direction)
    {
        var a = new JsonArray();
        foreach (var r in relations.Where(r => r.Direction == direction && r.NodeKind != NodeKinds.Task))
        {
            a.Add(new JsonObject
            {
                ["namespace"] = Namespace,
                ["name"] = r.NodeKind switch
                {
                    NodeKinds.File or NodeKinds.Folder => r.RefPath ?? r.Title,
                    NodeKinds.Version or NodeKinds.Project => r.Title,
                    _ => $"{r.NodeKind}/{r.Title}",
                },
                ["facets"] = new JsonObject(),
            });
        }

        return a;
    }

    private async Task PostAsync(JsonObject ev, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync(endpoint, ev, ct).ConfigureAwait(false);
    }
}
