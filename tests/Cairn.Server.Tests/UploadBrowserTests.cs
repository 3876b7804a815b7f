using System.Net.Http.Json;
using System.Text.Json;
using Cairn.TestSupport;
using Microsoft.Playwright;

namespace Cairn.Server.Tests;

/// <summary>The upload control in chromium: files set on its input, chunks sent with progress, the import task's page opened.</summary>
public sealed class UploadBrowserTests(ServerFixture server) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly TempDir _dir = new("cairn-upload-browser-");

    public void Dispose() => _dir.Dispose();

    private static readonly List<string> Console = [];

    private static async Task WaitForSucceeded(IPage page)
    {
        // The task page opens, or the upload control says why not (which fails the test with its words).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!System.Text.RegularExpressions.Regex.IsMatch(page.Url, @"/tasks/\d+$"))
        {
            string? error = null;
            try
            {
                error = await page.TextContentAsync("#upload-error", new PageTextContentOptions { Timeout = 1000 });
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException)
            {
                // The page is navigating away.
            }

            Assert.True(string.IsNullOrEmpty(error), $"the upload failed: {error}");
            if (watch.Elapsed > TimeSpan.FromSeconds(60))
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/upload-fail.png", FullPage = true });
                var state = await page.EvaluateAsync<string>("() => JSON.stringify({ disabled: document.getElementById('upload-start').disabled, hidden: document.getElementById('upload-progress').hidden, value: document.getElementById('upload-progress').value, valid: document.getElementById('upload-form').checkValidity(), active: document.activeElement && document.activeElement.id, parent: document.getElementById('upload-start').form && document.getElementById('upload-start').form.id, forms: document.forms.length, html: document.getElementById('upload-form').outerHTML.slice(0, 400) })");
                Assert.Fail($"the task page did not open; the control says: {await page.TextContentAsync("#upload-status")} {await page.TextContentAsync("#upload-chosen")} {state} console: {string.Join(" | ", Console)}");
            }

            await Task.Delay(250);
        }

        // task.js reloads the page when the task ends; read the server-rendered status rather than racing the reload.
        var task = page.Url;
        var end = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await page.GotoAsync(task);
                if (await page.TextContentAsync("#task-status") is "succeeded" or "failed" or "cancelled")
                {
                    break;
                }
            }
            catch (PlaywrightException)
            {
                // task.js's own reload aborted this navigation (ERR_ABORTED): look again.
            }

            Assert.True(end.Elapsed < TimeSpan.FromSeconds(90), "the import task did not end");
            await Task.Delay(500);
        }

        var status = await page.TextContentAsync("#task-status");
        Assert.True(status == "succeeded", $"the import task ended {status}: {await page.TextContentAsync("#task-error")}");
    }

    [Fact]
    public async Task A_zip_archive_uploads_in_chunks_with_progress_and_becomes_a_project_with_a_task_and_version_1()
    {
        // About 360 kB of noise images: one 8 MiB chunk; the bar must stand at the end before the import starts.
        var zip = TinyYolo.Zip(_dir["pets.zip"], ["cat", "dog"], 4, noiseSize: 300);
        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);

        // Hold the import request until the progress bar has been read: it must show the whole upload done.
        double? progressAtImport = null;
        await page.RouteAsync("**/api/v1/uploads/*/import", async route =>
        {
            progressAtImport = await page.EvalOnSelectorAsync<double>("#upload-progress", "p => p.value");
            await route.ContinueAsync();
        });

        await page.GotoAsync($"{server.BaseUrl}/projects");
        await page.SetInputFilesAsync("#upload-files", zip);
        Assert.Contains("pets.zip", await page.TextContentAsync("#upload-chosen"));
        Assert.Equal("pets", await page.InputValueAsync("#upload-project"));
        await page.SelectOptionAsync("#upload-format", "yolo");
        await page.ClickAsync("#upload-start");
        await WaitForSucceeded(page);
        Assert.Equal(1.0, progressAtImport);

        // The task page lists the new project and its version 1 as outputs. The page drawn while the task ran reloads itself
        // once it ends (task.js), which can destroy a read in flight: open the task page afresh (a page drawn after the end
        // does not reload) and read it there, again if a reload still got in the way.
        var taskUrl = page.Url;
        IReadOnlyList<string> outputs = [];
        for (var i = 0; i < 20 && !outputs.Any(o => o.Contains("pets@1", StringComparison.Ordinal)); i++)
        {
            try
            {
                await page.GotoAsync(taskUrl);
                outputs = await page.Locator("#outputs li").AllInnerTextsAsync();
            }
            catch (PlaywrightException)
            {
                await Task.Delay(500);
            }
        }

        Assert.Contains(outputs, o => o.Contains("pets@1", StringComparison.Ordinal));
        var project = (await server.Http.GetFromJsonAsync<JsonElement>("/api/v1/projects")).EnumerateArray().Single(p => p.GetProperty("name").GetString() == "pets");
        Assert.Equal(4, project.GetProperty("items").GetInt32());
        Assert.Equal(1, project.GetProperty("latestVersion").GetInt32());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Images_uploaded_on_a_project_page_go_into_the_named_dataset_as_its_next_version()
    {
        var files = new[] { _dir.Write("extra-a.png", CraftedPng.Grey(40, 30, 77)), _dir.Write("extra-b.png", CraftedPng.Grey(40, 30, 78)) };
        var before = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}");
        var items = before.GetProperty("project").GetProperty("items").GetInt32();
        var version = before.GetProperty("project").GetProperty("latestVersion").GetInt32();

        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync();
        page.Console += (_, m) => Console.Add(m.Type + ": " + m.Text);
        page.PageError += (_, e) => Console.Add("error: " + e);
        await page.GotoAsync($"{server.BaseUrl}/projects/{server.ProjectId}");
        await page.SetInputFilesAsync("#upload-files", files);
        await page.FillAsync("#upload-dataset", "uploaded");
        await page.ClickAsync("#upload-start");
        await WaitForSucceeded(page);

        var after = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}");
        Assert.Equal(items + 2, after.GetProperty("project").GetProperty("items").GetInt32());
        Assert.Equal(version + 1, after.GetProperty("project").GetProperty("latestVersion").GetInt32());
        var dataset = after.GetProperty("datasets").EnumerateArray().Single(d => d.GetProperty("path").GetString() == "uploaded");
        Assert.Equal(2, dataset.GetProperty("items").GetInt32());
    }
}
