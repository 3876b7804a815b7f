using System.Text.Json;
using Cairn.Server.Demo;
using Cairn.Storage;
using Cairn.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;

namespace Cairn.Server.Tests;

/// <summary>A server over a home seeded with `serve --demo`'s workflow.</summary>
public sealed class DemoFixture : IAsyncLifetime
{
    private WebApplication? _app;

    /// <summary>The temporary home.</summary>
    public string Home { get; } = Path.Combine(Path.GetTempPath(), "cairn-demo-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Base address.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        using (var store = CairnStore.Open(Home))
        {
            var seeded = await new DemoSeeder(store).SeedAsync();
            Assert.True(seeded);
        }

        (_app, BaseUrl) = await TestServer.StartAsync(Home);
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        await TestServer.StopAsync(_app, Home);
    }
}

/// <summary>The five-minute tour of the README, walked in chromium over the demo workspace.</summary>
public sealed class DemoTourTests(DemoFixture demo) : IClassFixture<DemoFixture>
{
    // The README's pictures are this test's screenshots: CAIRN_UPDATE_SCREENSHOTS=1 writes them into docs/images;
    // otherwise they go to a temporary folder, so a test run leaves the working tree as it was.
    private static readonly string Screenshots = Environment.GetEnvironmentVariable("CAIRN_UPDATE_SCREENSHOTS") == "1"
        ? Path.Combine(SharedData.RepoRoot, "docs", "images")
        : Path.Combine(Path.GetTempPath(), "cairn-tour-screenshots");

    [Fact]
    public async Task Tour_shows_graph_diff_benchmark_report_and_comparison_with_real_content()
    {
        using var http = new HttpClient { BaseAddress = new Uri(demo.BaseUrl) };
        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });

        // Projects: the generated, augmented and split projects exist with items.
        await page.GotoAsync($"{demo.BaseUrl}/projects");
        foreach (var name in new[] { "shapes", "shapes-augmented", "shapes-train", "shapes-val" })
        {
            Assert.Equal(1, await page.Locator($"#projects a:text-is('{name}')").CountAsync());
        }

        // The workspace graph shows the whole lifecycle: every task kind of the example and the evaluations.
        await page.GotoAsync($"{demo.BaseUrl}/graph");
        await page.WaitForSelectorAsync("#viewport g.node");
        var kinds = await page.Locator("#viewport g.node").EvaluateAllAsync<string[]>("gs => gs.map(g => g.dataset.kind)");
        Assert.Contains("evaluation", kinds);
        Assert.Contains("model", kinds);
        Assert.Contains("folder", kinds);
        Assert.True(kinds.Count(k => k == "task") >= 6, $"expected generate, augment, split, run and two benchmarks; saw {kinds.Count(k => k == "task")} tasks");
        Assert.True(await page.Locator("#viewport path.edge").CountAsync() >= kinds.Length - 1);
        Directory.CreateDirectory(Screenshots);
        // The picture is the frame at Fit on a wide window: readable text, as much of the lineage as fits.
        await page.SetViewportSizeAsync(2600, 1000);
        await page.ClickAsync("#fit");
        await page.Locator("#graph-scroll").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Screenshots, "workflow-graph.png") });
        await page.SetViewportSizeAsync(1400, 900);

        // A version diff: v1 → v2 of "shapes" is the labels edit.
        var projects = JsonDocument.Parse(await http.GetStringAsync("/api/v1/projects")).RootElement;
        var shapes = projects.EnumerateArray().Single(p => p.GetProperty("name").GetString() == DemoSeeder.ShapesProject).GetProperty("id").GetInt64();
        await page.GotoAsync($"{demo.BaseUrl}/projects/{shapes}/versions");
        Assert.Equal(2, await page.Locator("#versions tbody tr").CountAsync());
        await page.GotoAsync($"{demo.BaseUrl}/projects/{shapes}/versions/diff?a=1&b=2");
        var labelsChanged = int.Parse(await page.Locator("#diff-summary .card:nth-child(4) .num").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(labelsChanged > 0, "the labels edit between v1 and v2 changed no item");
        Assert.True(await page.Locator("#class-deltas tbody tr").CountAsync() >= 3);

        // The benchmark report: real numbers, the speed section, and the model's accuracy on the synthetic val set.
        await page.GotoAsync($"{demo.BaseUrl}/evaluations/1");
        var report = page.FrameLocator("#report");
        await report.Locator("text=Key metrics").First.WaitForAsync();
        Assert.True(await report.Locator("svg").CountAsync() >= 5, "the report should carry its charts");
        Assert.Equal(1, await report.Locator("#speed").CountAsync());
        var metrics = JsonDocument.Parse(await http.GetStringAsync("/api/v1/evaluations/1/metrics")).RootElement;
        Assert.True(metrics.GetProperty("stats")[1].GetDouble() > 0.5, "the sample model should detect the generated shapes");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "benchmark-report.png") });

        // The comparison is one click from the benchmark page.
        await page.ClickAsync("a.compare");
        var comparison = page.FrameLocator("#report");
        await comparison.Locator("text=shapes-det, conf 0.25").First.WaitForAsync();
        Assert.True(await comparison.Locator("table").CountAsync() >= 1);
    }
}
