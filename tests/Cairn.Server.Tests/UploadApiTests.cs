using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Cairn.TestSupport;

namespace Cairn.Server.Tests;

/// <summary>Resumable uploads over the REST API: chunks with checksums, resume after an interruption, import as a task.</summary>
public sealed class UploadApiTests(ServerFixture server) : IClassFixture<ServerFixture>, IDisposable
{
    private const int Chunk = 64 * 1024;
    private readonly TempDir _dir = new("cairn-upload-");

    public void Dispose() => _dir.Dispose();

    private async Task<JsonElement> Start(string path, long size)
    {
        using var r = await server.Http.PostAsJsonAsync("/api/v1/uploads", new { files = new[] { new { path, size } }, chunkSize = Chunk });
        Assert.True(r.StatusCode == HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
        return await r.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<HttpResponseMessage> Put(string id, int file, int n, byte[] bytes, string? sha = null)
    {
        var slice = bytes.AsSpan(n * Chunk, Math.Min(Chunk, bytes.Length - (n * Chunk))).ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/uploads/{id}/files/{file}/chunks/{n}") { Content = new ByteArrayContent(slice) };
        request.Headers.Add("X-Chunk-SHA256", sha ?? Convert.ToHexStringLower(SHA256.HashData(slice)));
        return await server.Http.SendAsync(request);
    }

    private async Task<JsonElement> WaitForTask(long id)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var t = (await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tasks/{id}")).GetProperty("task");
            if (t.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled")
            {
                return t;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90), $"task {id} did not finish");
            await Task.Delay(200);
        }
    }

    private async Task<bool> ProjectExists(string name) =>
        (await server.Http.GetFromJsonAsync<JsonElement>("/api/v1/projects")).EnumerateArray().Any(p => p.GetProperty("name").GetString() == name);

    [Fact]
    public async Task An_interrupted_upload_resumes_from_the_chunks_the_server_has_and_imports_once_complete()
    {
        var zip = File.ReadAllBytes(TinyYolo.Zip(_dir["resumed.zip"], ["cat", "dog"], 3, noiseSize: 300));
        var chunks = (zip.Length + Chunk - 1) / Chunk;
        Assert.True(chunks >= 3, $"the archive should need several chunks, it is {zip.Length} bytes");
        var id = (await Start("resumed.zip", zip.Length)).GetProperty("id").GetString()!;

        // Send the first two chunks, then "lose the connection".
        for (var n = 0; n < 2; n++)
        {
            using var r = await Put(id, 0, n, zip);
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }

        // An import now is refused: nothing is imported from an incomplete upload.
        using (var early = await server.Http.PostAsJsonAsync($"/api/v1/uploads/{id}/import", new { format = "yolo", project = "resumed" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
            Assert.Contains("resumed.zip#2", await early.Content.ReadAsStringAsync());
        }

        Assert.False(await ProjectExists("resumed"));

        // After the "reload", the client asks which chunks arrived and sends the rest.
        var status = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/uploads/{id}");
        var file = status.GetProperty("files")[0];
        Assert.Equal(chunks, file.GetProperty("chunks").GetInt32());
        Assert.Equal([0, 1], file.GetProperty("received").EnumerateArray().Select(x => x.GetInt32()));
        Assert.False(status.GetProperty("complete").GetBoolean());
        for (var n = 2; n < chunks; n++)
        {
            using var r = await Put(id, 0, n, zip);
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }

        Assert.True((await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/uploads/{id}")).GetProperty("complete").GetBoolean());
        using var import = await server.Http.PostAsJsonAsync($"/api/v1/uploads/{id}/import", new { format = "yolo", project = "resumed" });
        Assert.True(import.StatusCode == HttpStatusCode.Created, await import.Content.ReadAsStringAsync());
        var started = await import.Content.ReadFromJsonAsync<JsonElement>();
        var taskId = started.GetProperty("taskId").GetInt64();
        Assert.Equal($"/tasks/{taskId}", started.GetProperty("taskUrl").GetString());
        var task = await WaitForTask(taskId);
        Assert.True(task.GetProperty("status").GetString() == "succeeded", task.GetProperty("error").ToString());
        Assert.Equal(1, task.GetProperty("result").GetProperty("version").GetInt32());

        var project = (await server.Http.GetFromJsonAsync<JsonElement>("/api/v1/projects")).EnumerateArray().Single(p => p.GetProperty("name").GetString() == "resumed");
        Assert.Equal(3, project.GetProperty("items").GetInt32());
        Assert.Equal(1, project.GetProperty("latestVersion").GetInt32());

        // The upload was imported: it takes no more chunks and cannot be imported twice.
        using var again = await server.Http.PostAsJsonAsync($"/api/v1/uploads/{id}/import", new { format = "yolo", project = "resumed-2" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_chunk_with_a_wrong_checksum_is_refused_and_nothing_is_imported()
    {
        var zip = File.ReadAllBytes(TinyYolo.Zip(_dir["bad.zip"], ["cat"], 2));
        var id = (await Start("bad.zip", zip.Length)).GetProperty("id").GetString()!;
        var wrong = new string('0', 64);
        using (var r = await Put(id, 0, 0, zip, wrong))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
            var problem = await r.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("X-Chunk-SHA256", problem.GetProperty("detail").GetString());
            Assert.Contains(wrong, problem.GetProperty("detail").GetString());
        }

        // A header that is no SHA-256 at all is a 400 naming the header.
        using (var r = await Put(id, 0, 0, zip, "abc"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Contains("X-Chunk-SHA256: expected the chunk's SHA-256 as 64 hex digits", await r.Content.ReadAsStringAsync());
        }

        var status = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/uploads/{id}");
        Assert.Empty(status.GetProperty("files")[0].GetProperty("received").EnumerateArray());
        var tasksBefore = (await server.Http.GetFromJsonAsync<JsonElement>("/api/v1/tasks")).GetArrayLength();
        using var import = await server.Http.PostAsJsonAsync($"/api/v1/uploads/{id}/import", new { format = "yolo", project = "bad" });
        Assert.Equal(HttpStatusCode.Conflict, import.StatusCode);
        Assert.Contains("Nothing was imported", await import.Content.ReadAsStringAsync());
        Assert.False(await ProjectExists("bad"));
        Assert.Equal(tasksBefore, (await server.Http.GetFromJsonAsync<JsonElement>("/api/v1/tasks")).GetArrayLength());
    }

    [Fact]
    public async Task Bad_announcements_are_refused_naming_the_field()
    {
        using var climb = await server.Http.PostAsJsonAsync("/api/v1/uploads", new { files = new[] { new { path = "../../etc/passwd", size = 10L } } });
        Assert.Equal(HttpStatusCode.BadRequest, climb.StatusCode);
        Assert.Contains("files[0].path", await climb.Content.ReadAsStringAsync());

        using var small = await server.Http.PostAsJsonAsync("/api/v1/uploads", new { files = new[] { new { path = "a.png", size = 10L } }, chunkSize = 10 });
        Assert.Equal(HttpStatusCode.BadRequest, small.StatusCode);
        Assert.Contains("chunkSize: expected", await small.Content.ReadAsStringAsync());

        using var twice = await server.Http.PostAsJsonAsync("/api/v1/uploads", new { files = new[] { new { path = "a.png", size = 1L }, new { path = "a.png", size = 1L } } });
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("files[1].path: 'a.png' is given twice", await twice.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_failed_import_into_an_existing_project_leaves_it_unchanged()
    {
        // Two images into tiny's val2017 dataset: their names are new, but the archive holds a zip-slip entry, so the
        // task fails on the archive and tiny keeps exactly what it had.
        var before = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}");
        var path = _dir["slip.zip"];
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry("a.png").Open())
            {
                s.Write(CraftedPng.Grey(8, 8, 9));
            }

            using (var s = zip.CreateEntry("../../evil.png").Open())
            {
                s.Write(CraftedPng.Grey(8, 8, 10));
            }
        }

        var bytes = File.ReadAllBytes(path);
        var id = (await Start("slip.zip", bytes.Length)).GetProperty("id").GetString()!;
        using (var r = await Put(id, 0, 0, bytes))
        {
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }

        using var import = await server.Http.PostAsJsonAsync($"/api/v1/uploads/{id}/import", new { format = "images", project = "tiny", existing = true, dataset = "val2017" });
        Assert.True(import.StatusCode == HttpStatusCode.Created, await import.Content.ReadAsStringAsync());
        var task = await WaitForTask((await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("taskId").GetInt64());
        Assert.Equal("failed", task.GetProperty("status").GetString());
        Assert.Contains("entry '../../evil.png'", task.GetProperty("error").GetString());

        var after = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}");
        Assert.Equal(before.GetProperty("project").GetProperty("items").GetInt32(), after.GetProperty("project").GetProperty("items").GetInt32());
        Assert.Equal(before.GetProperty("project").GetProperty("latestVersion").GetInt32(), after.GetProperty("project").GetProperty("latestVersion").GetInt32());
        Assert.False(File.Exists(Path.Combine(server.Home, "..", "evil.png")));
    }

    [Fact]
    public async Task A_browser_registering_a_model_gets_a_page_and_an_api_client_gets_json()
    {
        var onnx = Path.Combine(SharedData.RepoRoot, "samples", "shapes-det.onnx");
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(onnx)), "file", "shapes-det.onnx" }, { new StringContent("from-browser"), "name" } })
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/models") { Content = form })
        {
            request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            using var r = await noRedirect.SendAsync(request);
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            Assert.Matches(@"^/models/\d+$", r.Headers.Location!.ToString());
        }

        using (var form = new MultipartFormDataContent { { new ByteArrayContent("not onnx"u8.ToArray()), "file", "broken.onnx" }, { new StringContent("broken"), "name" } })
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/models") { Content = form })
        {
            request.Headers.Accept.ParseAdd("text/html");
            using var r = await server.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Model refused: broken.onnx", await r.Content.ReadAsStringAsync());
        }

        using (var form = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(onnx)), "file", "shapes-det.onnx" }, { new StringContent("from-api"), "name" } })
        {
            using var r = await server.Http.PostAsync("/api/v1/models", form);
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            Assert.Equal("from-api", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        }
    }
}
