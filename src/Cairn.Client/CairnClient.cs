using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cairn.Client;

/// <summary>
/// Typed client for custom applications running as a Cairn task (a training script started by <c>cairn run</c>, an annotation
/// tool): add inputs and outputs to the task's node on the workflow graph, upload files and model weights, set how the node
/// looks, write to the task log and report progress. <see cref="FromEnvironment"/> reads CAIRN_API and CAIRN_TASK_ID.
/// </summary>
public sealed class CairnClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>
    /// A client for task <paramref name="taskId"/> on the server at <paramref name="api"/> (e.g. http://127.0.0.1:5180),
    /// sending <paramref name="token"/> (a personal access token, `cairn token create`) as <c>Authorization: Bearer</c>
    /// when given: a server with users requires one; a single-user server on loopback does not.
    /// </summary>
    public CairnClient(Uri api, long taskId, HttpClient? http = null, string? token = null)
    {
        _ownsHttp = http is null;
        _http = http ?? new HttpClient();
        _http.BaseAddress ??= api;
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        TaskId = taskId;
    }

    /// <summary>The task this client acts for.</summary>
    public long TaskId { get; }

    /// <summary>The server address.</summary>
    public Uri Api => _http.BaseAddress!;

    /// <summary>A client from CAIRN_API, CAIRN_TASK_ID (set by <c>cairn run</c>) and CAIRN_TOKEN (optional); throws naming the missing variable.</summary>
    public static CairnClient FromEnvironment(HttpClient? http = null)
    {
        var api = Environment.GetEnvironmentVariable("CAIRN_API");
        var task = Environment.GetEnvironmentVariable("CAIRN_TASK_ID");
        if (string.IsNullOrEmpty(api) || !Uri.TryCreate(api, UriKind.Absolute, out var uri))
        {
            throw new InvalidOperationException($"CAIRN_API is {(api is null ? "not set" : $"'{api}', not an absolute URL")}: run this program with `cairn run -- ...`, or set it to the server address");
        }

        if (!long.TryParse(task, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw new InvalidOperationException($"CAIRN_TASK_ID is {(task is null ? "not set" : $"'{task}', not a task id")}: run this program with `cairn run -- ...`");
        }

        return new CairnClient(uri, id, http, Environment.GetEnvironmentVariable("CAIRN_TOKEN"));
    }

    /// <summary>The task's current state (poll <see cref="CairnTaskInfo.CancelRequested"/> to stop early when asked).</summary>
    public async Task<CairnTaskInfo> GetTaskAsync(CancellationToken ct = default)
    {
        using var r = await _http.GetAsync(TaskPath(string.Empty), ct).ConfigureAwait(false);
        await EnsureAsync(r, ct).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
        return doc.RootElement.GetProperty("task").Deserialize<CairnTaskInfo>(Json)!;
    }

    /// <summary>Records <paramref name="node"/> as an input of the task.</summary>
    public Task<CairnRelation> AddInputAsync(CairnNode node, CancellationToken ct = default) => PostAsync<CairnRelation>(TaskPath("/inputs"), node, ct);

    /// <summary>Records <paramref name="node"/> as an output of the task.</summary>
    public Task<CairnRelation> AddOutputAsync(CairnNode node, CancellationToken ct = default) => PostAsync<CairnRelation>(TaskPath("/outputs"), node, ct);

    /// <summary>Uploads bytes as a workspace file at <paramref name="path"/> and records it as an output (or input) of the task.</summary>
    public async Task<CairnFile> UploadFileAsync(string path, Stream content, string kind = "other", bool asInput = false, CancellationToken ct = default)
    {
        var url = TaskPath($"/files?path={Uri.EscapeDataString(path)}&kind={Uri.EscapeDataString(kind)}&direction={(asInput ? "input" : "output")}");
        using var body = new StreamContent(content);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var r = await _http.PostAsync(url, body, ct).ConfigureAwait(false);
        await EnsureAsync(r, ct).ConfigureAwait(false);
        return (await r.Content.ReadFromJsonAsync<CairnFile>(Json, ct).ConfigureAwait(false))!;
    }

    /// <summary>Uploads a local file (model weights: kind "checkpoint") as an output stored at <paramref name="path"/>.</summary>
    public async Task<CairnFile> UploadFileAsync(string path, string localFile, string kind = "other", CancellationToken ct = default)
    {
        await using var s = File.OpenRead(localFile);
        return await UploadFileAsync(path, s, kind, false, ct).ConfigureAwait(false);
    }

    /// <summary>Uploads model weights into <paramref name="folder"/> and records the folder, so the graph groups them in one node.</summary>
    public async Task<IReadOnlyList<CairnFile>> UploadModelWeightsAsync(string folder, IEnumerable<string> localFiles, CancellationToken ct = default)
    {
        folder = folder.Trim('/');
        await AddOutputAsync(CairnNode.Folder(folder), ct).ConfigureAwait(false);
        var list = new List<CairnFile>();
        foreach (var f in localFiles)
        {
            list.Add(await UploadFileAsync($"{folder}/{Path.GetFileName(f)}", f, "checkpoint", ct).ConfigureAwait(false));
        }

        return list;
    }

    /// <summary>Sets the task node's title, description, icon, colour and link.</summary>
    public async Task SetNodeAsync(CairnNodeSettings settings, CancellationToken ct = default)
    {
        using var r = await _http.PutAsJsonAsync(TaskPath("/node"), settings, Json, ct).ConfigureAwait(false);
        await EnsureAsync(r, ct).ConfigureAwait(false);
    }

    /// <summary>Appends a line to the task log.</summary>
    public async Task LogAsync(string message, string level = "info", CancellationToken ct = default)
    {
        using var r = await _http.PostAsJsonAsync(TaskPath("/log"), new { message, level }, Json, ct).ConfigureAwait(false);
        await EnsureAsync(r, ct).ConfigureAwait(false);
    }

    /// <summary>Reports progress (0..1) with a message.</summary>
    public async Task ReportProgressAsync(double fraction, string? message = null, CancellationToken ct = default)
    {
        using var r = await _http.PostAsJsonAsync(TaskPath("/progress"), new { fraction, message }, Json, ct).ConfigureAwait(false);
        await EnsureAsync(r, ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private string TaskPath(string rest) => $"/api/v1/tasks/{TaskId.ToString(CultureInfo.InvariantCulture)}{rest}";

    private async Task<T> PostAsync<T>(string url, object body, CancellationToken ct)
    {
        using var r = await _http.PostAsJsonAsync(url, body, Json, ct).ConfigureAwait(false);
        await EnsureAsync(r, ct).ConfigureAwait(false);
        return (await r.Content.ReadFromJsonAsync<T>(Json, ct).ConfigureAwait(false))!;
    }

    private static async Task EnsureAsync(HttpResponseMessage r, CancellationToken ct)
    {
        if (r.IsSuccessStatusCode)
        {
            return;
        }

        var text = await r.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        string detail = text;
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("detail", out var d))
            {
                detail = d.GetString() ?? text;
            }
        }
        catch (JsonException)
        {
        }

        throw new CairnClientException($"{(int)r.StatusCode} {r.ReasonPhrase}: {detail}", (int)r.StatusCode);
    }
}
