using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Cairn.Server.Tests;

/// <summary>Drives Debian's chromium through Playwright against a real server.</summary>
public sealed class BrowserTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    internal static async Task<IBrowser> LaunchAsync(IPlaywright pw)
    {
        var exe = Environment.GetEnvironmentVariable("CAIRN_CHROMIUM") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(exe), $"chromium not found at {exe}: install Debian's chromium (apt-get install chromium) or set CAIRN_CHROMIUM");
        return await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = exe,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    [Fact]
    public async Task Item_page_draws_every_label_over_the_image()
    {
        using var pw = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(pw);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1300, Height = 900 } });

        await page.GotoAsync($"{server.BaseUrl}/projects");
        await page.ClickAsync("text=tiny");
        await page.ClickAsync("#datasets >> text=val2017");
        // Open the gallery item with the most labels.
        var badges = await page.Locator(".thumb .badge").AllInnerTextsAsync();
        var best = badges.Select((t, i) => (Count: int.Parse(t), Index: i)).MaxBy(x => x.Count);
        Assert.True(best.Count > 0);
        await page.Locator(".thumb").Nth(best.Index).ClickAsync();

        await page.WaitForSelectorAsync("#item-svg g.label");
        var listed = await page.Locator("#label-list li").CountAsync();
        Assert.Equal(best.Count, listed);

        // Each label's shape must be rendered with a real extent inside the image, not just present in the markup.
        var sizes = await page.EvaluateAsync<double[][]>(
            "() => [...document.querySelectorAll('#item-svg g.label')].map(g => { const b = g.getBBox(); return [b.width, b.height]; })");
        Assert.Equal(best.Count, sizes.Length);
        Assert.All(sizes, s => Assert.True(s[0] > 0 || s[1] > 0, "a label rendered with no extent"));

        // The image itself loaded (natural size known to the browser).
        var loaded = await page.EvaluateAsync<bool>(
            "() => new Promise(r => { const i = new Image(); i.onload = () => r(i.naturalWidth > 0); i.onerror = () => r(false); i.src = document.querySelector('#item-svg image').getAttribute('href'); })");
        Assert.True(loaded);

        // Hovering a label in the list highlights its shape on the image.
        await page.HoverAsync("#label-list li >> nth=0");
        Assert.Equal(1, await page.Locator("#item-svg g.label.hl").CountAsync());
    }

    [Fact]
    public async Task Cancel_button_shows_only_on_a_task_that_can_still_be_cancelled()
    {
        var started = await server.Http.PostAsJsonAsync("/api/v1/tasks", new { kind = "generate", parameters = new { count = 2, seed = 3, output = "two-shapes" }, title = "two shapes" });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var id = (await started.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while ((await server.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/tasks/{id}")).GetProperty("task").GetProperty("status").GetString() != "succeeded")
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "the task did not succeed");
            await Task.Delay(200);
        }

        using var pw = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(pw);
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{server.BaseUrl}/tasks/{id}");
        Assert.Equal(1, await page.Locator("#cancel").CountAsync());
        Assert.False(await page.Locator("#cancel").IsVisibleAsync(), "a finished task offers Cancel");
        Assert.True(await page.Locator("text=Workflow graph").IsVisibleAsync());
    }
}
