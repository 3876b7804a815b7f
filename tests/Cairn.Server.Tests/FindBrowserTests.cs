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

        // "Open in editor" is the working-state item of the same image, with the editor open.
        await page.ClickAsync("a.open-editor");
        await page.WaitForURLAsync(u => u.Contains("/items/", StringComparison.Ordinal) && !u.Contains("/evaluations/", StringComparison.Ordinal));
        Assert.EndsWith(worstName.Split('/')[^1], await page.InnerTextAsync("h1"), StringComparison.Ordinal);
        await page.WaitForSelectorAsync("#editor[data-ready='1']");

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
    public async Task A_false_positive_found_by_a_benchmark_is_labelled_in_the_editor_and_the_next_version_and_benchmark_count_it_as_found()
    {
        // The whole loop a team lead walks: benchmark → image with errors → editor → fix → version → benchmark again.
        // The "fix" here: a confident prediction with no ground truth under it is taken as a label the data missed.
        using var http = new HttpClient { BaseAddress = new Uri(demo.BaseUrl) };
        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        page.PageError += (_, e) => throw new InvalidOperationException("page error: " + e);
        var projects = JsonDocument.Parse(await http.GetStringAsync("/api/v1/projects")).RootElement;
        var val = projects.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "shapes-val").GetProperty("id").GetInt64();

        // Benchmark 2 (conf 0.25): the first of the images with most errors that has a false positive.
        await page.GotoAsync($"{demo.BaseUrl}/evaluations/2");
        var links = await page.Locator("#most-errors a.bench-image").EvaluateAllAsync<string[]>("as => as.map(a => a.getAttribute('href'))");
        Assert.NotEmpty(links);
        string? name = null;
        foreach (var link in links)
        {
            await page.GotoAsync(demo.BaseUrl + link);
            if (await page.Locator("#bench-svg rect.dt.fp").CountAsync() > 0)
            {
                name = await page.InnerTextAsync("h1");
                break;
            }
        }

        Assert.True(name is not null, "no image among the most errors of benchmark 2 has a false positive");
        int Count(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var (tp, fp) = (Count(await page.InnerTextAsync("#legend .count-tp")), Count(await page.InnerTextAsync("#legend .count-fp")));
        var wrong = page.Locator("#bench-svg rect.dt.fp").First;
        double Attr(string? v) => double.Parse(v ?? "nan", System.Globalization.CultureInfo.InvariantCulture);
        var (x, y, w, h) = (Attr(await wrong.GetAttributeAsync("x")), Attr(await wrong.GetAttributeAsync("y")), Attr(await wrong.GetAttributeAsync("width")), Attr(await wrong.GetAttributeAsync("height")));
        var cls = await wrong.GetAttributeAsync("data-class");

        // "Open in editor" opens the working-state item with the editor ready; a box is drawn over the prediction, in its class.
        await page.ClickAsync("a.open-editor");
        await page.WaitForSelectorAsync("#editor[data-ready='1']");
        var itemId = long.Parse(new Uri(page.Url).Segments[^1], System.Globalization.CultureInfo.InvariantCulture);
        var before = await EditorBrowserTests.LabelCountAsync(page);
        await page.Keyboard.PressAsync("b");
        await EditorBrowserTests.DragAsync(page, x, y, x + w, y + h);
        Assert.Equal(before + 1, await EditorBrowserTests.LabelCountAsync(page));
        await page.SelectOptionAsync("#ed-class", cls!);
        await page.ClickAsync("#ed-save");
        await page.WaitForFunctionAsync("() => document.getElementById('ed-status').textContent.startsWith('saved')");

        // A version from the project's versions page: its diff with version 1 draws the new box as added.
        await page.GotoAsync($"{demo.BaseUrl}/projects/{val}/versions");
        await page.FillAsync("#create-version input[name=title]", "label missed by the data");
        await page.ClickAsync("#create-version button");
        var versions = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/projects/{val}/versions")).RootElement;
        var latest = versions.EnumerateArray().Max(v => v.GetProperty("number").GetInt32());
        Assert.Equal(2, latest);
        await page.GotoAsync($"{demo.BaseUrl}/projects/{val}/versions/diff?a=1&b=2");
        var changed = page.Locator("ul.diff.changed a.item-diff");
        Assert.Equal(1, await changed.CountAsync());
        await changed.ClickAsync();
        await page.WaitForSelectorAsync("#item-diff");
        Assert.Equal(1, await page.Locator("#diff-after g.label.added").CountAsync());
        Assert.Equal(cls, await page.GetAttributeAsync("#diff-after g.label.added", "data-class"));

        // The same benchmark again, from the project's operations page, on version 2.
        await page.GotoAsync($"{demo.BaseUrl}/projects/{val}/operations");
        await page.FillAsync("#op-benchmark input[name='p.model']", "shapes-det");
        await page.FillAsync("#op-benchmark input[name='p.conf#']", "0.25");
        await page.ClickAsync("#op-benchmark button[type='submit']");
        await page.WaitForURLAsync("**/tasks/*");
        var taskId = long.Parse(new Uri(page.Url).Segments[^1], System.Globalization.CultureInfo.InvariantCulture);
        var task = await TaskApiTests.WaitForEndAsync(http, taskId);
        Assert.True(task.GetProperty("status").GetString() == "succeeded", task.GetProperty("error").ToString());
        var evaluation = task.GetProperty("result").GetProperty("evaluationId").GetInt64();
        Assert.Contains("shapes-val@2", await http.GetStringAsync($"/api/v1/evaluations/{evaluation}/metrics"), StringComparison.Ordinal);

        // The fixed image: the prediction is now a true positive.
        var matches = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/evaluations/{evaluation}/matches")).RootElement;
        var index = matches.GetProperty("images").EnumerateArray().Select((im, k) => (im, k)).Single(t => name!.EndsWith(t.im.GetProperty("name").GetString()!, StringComparison.Ordinal)).k;
        await page.GotoAsync($"{demo.BaseUrl}/evaluations/{evaluation}/images/{index}");
        Assert.Equal(name, await page.InnerTextAsync("h1"));
        Assert.Equal(tp + 1, Count(await page.InnerTextAsync("#legend .count-tp")));
        Assert.Equal(fp - 1, Count(await page.InnerTextAsync("#legend .count-fp")));
        Assert.Equal(1, await page.Locator("a.open-editor[href='/items/" + itemId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "?edit=true']").CountAsync());
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
