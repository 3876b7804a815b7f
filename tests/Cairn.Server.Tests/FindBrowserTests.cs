using System.Text.Json;
using Cairn.Server.Demo;
using Microsoft.Playwright;

namespace Cairn.Server.Tests;

/// <summary>Finding data in chromium over the demo workspace: the gallery's search and overlays, and a benchmark's images.</summary>
public sealed class FindBrowserTests(DemoFixture demo) : IClassFixture<DemoFixture>
{
    [Fact]
    public async Task Gallery_filters_by_class_and_overlays_toggle_then_a_benchmark_leads_to_its_worst_image_and_the_editor()
    {
        using var http = new HttpClient { BaseAddress = new Uri(demo.BaseUrl) };
        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });

        // The gallery of "shapes", filtered by class through its form: the address holds the filter.
        var projects = JsonDocument.Parse(await http.GetStringAsync("/api/v1/projects")).RootElement;
        var shapes = projects.EnumerateArray().Single(p => p.GetProperty("name").GetString() == DemoSeeder.ShapesProject).GetProperty("id").GetInt64();
        await page.GotoAsync($"{demo.BaseUrl}/projects/{shapes}");
        await page.ClickAsync("a[href$='/items']");
        var all = await page.Locator("#gallery a.thumb").CountAsync();
        await page.SelectOptionAsync("select[name=class]", ["circle"]);
        await page.ClickAsync("#filter button");
        await page.WaitForURLAsync(u => u.Contains("class=circle", StringComparison.Ordinal));
        using var api = await http.GetAsync($"/api/v1/projects/{shapes}/items?class=circle&take=60");
        var expected = JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(i => $"/items/{i.GetProperty("id").GetInt64()}").ToList();
        var shown = await page.Locator("#gallery a.thumb").EvaluateAllAsync<string[]>("as => as.map(a => a.getAttribute('href'))");
        Assert.Equal(expected, shown);
        Assert.Contains(api.Headers.GetValues("X-Total-Count").Single() + " items match", await page.InnerTextAsync("#match-count"), StringComparison.Ordinal);
        Assert.True(shown.Length > 0 && all > 0, "no circle in the demo's shapes");

        // Each thumbnail has its labels drawn over it, inside the thumbnail, in the class colours.
        var first = page.Locator("#gallery a.thumb").First;
        var overlay = first.Locator("svg.overlay");
        Assert.True(await overlay.IsVisibleAsync());
        Assert.True(await overlay.Locator(".shape").CountAsync() >= 1);
        var frame = (await first.Locator(".frame").BoundingBoxAsync())!;
        var svgBox = (await overlay.BoundingBoxAsync())!;
        Assert.Equal(frame.Width, svgBox.Width, 1.0);
        Assert.Equal(frame.Height, svgBox.Height, 1.0);

        // Toggled off, the overlays go, and stay gone on the next visit; toggled on, they come back.
        await page.UncheckAsync("#overlay-toggle");
        Assert.False(await overlay.IsVisibleAsync());
        await page.ReloadAsync();
        Assert.False(await page.IsCheckedAsync("#overlay-toggle"));
        Assert.False(await page.Locator("#gallery svg.overlay").First.IsVisibleAsync());
        await page.CheckAsync("#overlay-toggle");
        Assert.True(await page.Locator("#gallery svg.overlay").First.IsVisibleAsync());

        // The benchmark page lists the images with most errors; the first leads to its image page.
        await page.GotoAsync($"{demo.BaseUrl}/evaluations/1");
        var worst = page.Locator("#most-errors a.bench-image").First;
        var worstName = await worst.InnerTextAsync();
        await worst.ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/evaluations/1/images/", StringComparison.Ordinal));
        Assert.Equal(worstName, await page.InnerTextAsync("h1"));
        var legend = await page.InnerTextAsync("#legend");
        foreach (var word in new[] { "true positive", "false positive", "false negative" })
        {
            Assert.Contains(word, legend, StringComparison.Ordinal);
        }

        Assert.Equal("0.50", await page.InnerTextAsync("#iou-threshold"));
        var fp = await page.Locator("#bench-svg rect.dt.fp").CountAsync();
        var fn = await page.Locator("#bench-svg rect.gt.fn").CountAsync();
        Assert.True(fp + fn > 0, "the image with most errors draws no error");
        Assert.Equal(fp.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.InnerTextAsync("#legend .count-fp"));
        Assert.Equal(fn.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.InnerTextAsync("#legend .count-fn"));
        // Green, red and orange, as the legend says.
        foreach (var (selector, colour) in new[] { ("#bench-svg rect.dt.tp", "#1f9d55"), ("#bench-svg rect.dt.fp", "#d64545"), ("#bench-svg rect.gt.fn", "#f28c28") })
        {
            foreach (var stroke in await page.Locator(selector).EvaluateAllAsync<string[]>("rs => rs.map(r => r.getAttribute('stroke'))"))
            {
                Assert.Equal(colour, stroke);
            }
        }

        // "Open in editor" is the working-state item of the same image.
        await page.ClickAsync("a.open-editor");
        await page.WaitForURLAsync(u => u.Contains("/items/", StringComparison.Ordinal) && !u.Contains("/evaluations/", StringComparison.Ordinal));
        Assert.EndsWith(worstName.Split('/')[^1], await page.InnerTextAsync("h1"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#item-svg").CountAsync());

        // A confusion cell off the diagonal lists the images that have that confusion.
        await page.GotoAsync($"{demo.BaseUrl}/evaluations/1");
        var cell = page.Locator("#confusion td.off a").First;
        var count = int.Parse(await cell.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        await cell.ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/confusions?", StringComparison.Ordinal));
        var rows = await page.Locator("#confusion-images tbody tr").CountAsync();
        Assert.InRange(rows, 1, count);
        Assert.Equal(rows, await page.Locator("#confusion-images a.bench-image").CountAsync());
    }

    [Fact]
    public async Task Stored_matches_agree_with_the_report_counts_image_by_image()
    {
        using var http = new HttpClient { BaseAddress = new Uri(demo.BaseUrl) };
        foreach (var id in new[] { 1, 2 })
        {
            var matches = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/evaluations/{id}/matches")).RootElement;
            var metrics = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/evaluations/{id}/metrics")).RootElement;
            var diagnostics = metrics.GetProperty("diagnostics");
            Assert.Equal(1, matches.GetProperty("v").GetInt32());
            Assert.Equal(diagnostics.GetProperty("iou_threshold").GetDouble(), matches.GetProperty("iou").GetDouble());
            Assert.Equal(diagnostics.GetProperty("confidence_threshold").GetDouble(), matches.GetProperty("conf").GetDouble());
            var images = matches.GetProperty("images").EnumerateArray().ToList();
            var outcomes = diagnostics.GetProperty("images").EnumerateArray().ToList();
            Assert.Equal(outcomes.Count, images.Count);
            var errors = 0;
            for (var k = 0; k < images.Count; k++)
            {
                int Count(string list, string outcome) => images[k].GetProperty(list).EnumerateArray().Count(b => b.GetProperty("o").GetString() == outcome);
                var (tp, fp, fn) = (Count("dt", "tp"), Count("dt", "fp"), Count("gt", "fn"));
                var o = outcomes[k];
                Assert.True(
                    (o.GetProperty("tp").GetInt32(), o.GetProperty("fp").GetInt32(), o.GetProperty("fn").GetInt32()) == (tp, fp, fn),
                    $"evaluation {id}, image {k} ({images[k].GetProperty("name").GetString()}): report {o}, matches tp {tp} fp {fp} fn {fn}");
                errors += fp + fn;
            }

            Assert.True(errors > 0, $"evaluation {id} has no error at all: the comparison would prove little");
        }

        using var none = await http.GetAsync("/api/v1/evaluations/999999/matches");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, none.StatusCode);
    }
}
