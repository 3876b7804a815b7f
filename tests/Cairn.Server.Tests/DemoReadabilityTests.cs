using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cairn.Server.Demo;
using Microsoft.Playwright;

namespace Cairn.Server.Tests;

/// <summary>The demo workspace's graph and reports as a person reads them, measured in chromium.</summary>
public sealed partial class DemoReadabilityTests(DemoFixture demo) : IClassFixture<DemoFixture>
{
    // Every card text's size on screen: its computed font size times the drawing's zoom (the screen transform).
    private const string TextSizes =
        "() => [...document.querySelectorAll('#viewport g.node text.title, #viewport g.node text.sub, #viewport g.node text.desc')]" +
        ".map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)";

    // Titles wider than the room their card gives them, as "text: width > room".
    private const string Overflowing =
        "() => [...document.querySelectorAll('#viewport g.node text.title, #viewport g.node text.sub, #viewport g.node text.desc')]" +
        ".filter(t => t.getComputedTextLength() > Number(t.dataset.max) + 0.5 || t.getBBox().x + t.getBBox().width > t.closest('g.node').querySelector('rect').width.baseVal.value)" +
        ".map(t => t.textContent + ': ' + t.getComputedTextLength() + ' > ' + t.dataset.max)";

    private async Task<long> ShapesIdAsync(HttpClient http)
    {
        var projects = JsonDocument.Parse(await http.GetStringAsync("/api/v1/projects")).RootElement;
        return projects.EnumerateArray().Single(p => p.GetProperty("name").GetString() == DemoSeeder.ShapesProject).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task At_fit_the_demo_graph_is_readable_and_marks_the_node_it_was_opened_for()
    {
        using var http = new HttpClient { BaseAddress = new Uri(demo.BaseUrl) };
        var shapes = await ShapesIdAsync(http);
        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });

        await page.GotoAsync($"{demo.BaseUrl}/graph");
        await page.WaitForSelectorAsync("body[data-graph-ready='1']");
        var nodes = await page.Locator("#viewport g.node").CountAsync();
        Assert.True(nodes >= 20, $"the demo graph drew {nodes} nodes");
        await page.ClickAsync("#fit");
        var sizes = await page.EvaluateAsync<double[]>(TextSizes);
        Assert.True(sizes.Length >= 2 * nodes - 5, $"only {sizes.Length} card texts for {nodes} nodes");
        Assert.True(sizes.Min() >= 11 - 1e-6, $"at Fit the smallest card text is {sizes.Min():0.0} px on screen");
        Assert.Empty(await page.EvaluateAsync<string[]>(Overflowing));
        // What a card cuts short, its tooltip holds whole.
        var cut = await page.EvaluateAsync<string[][]>("() => [...document.querySelectorAll('#viewport g.node text.title')].filter(t => t.textContent.endsWith('…')).map(t => [t.textContent, t.closest('g.node').querySelector(':scope > title').textContent])");
        Assert.All(cut, c => Assert.StartsWith(c[0][..^1], c[1], StringComparison.Ordinal));
        // Nothing is out of reach: the frame scrolls over the whole drawing.
        var reach = await page.EvaluateAsync<double[]>("() => { const s = document.getElementById('graph-scroll'), v = document.getElementById('viewport').getBoundingClientRect(), f = s.getBoundingClientRect(); return [s.scrollWidth - (v.right - f.left + s.scrollLeft), s.scrollHeight - (v.bottom - f.top + s.scrollTop)]; }");
        Assert.All(reach, r => Assert.True(r >= 0, $"the drawing reaches {-r:0} px past the scrollable area"));

        // Opened for a project: the header names it, and its node is marked and in view.
        await page.GotoAsync($"{demo.BaseUrl}/graph?project={shapes}");
        await page.WaitForSelectorAsync("body[data-graph-ready='1']");
        var header = await page.InnerTextAsync("#graph-title");
        Assert.Contains($"project {DemoSeeder.ShapesProject}", header);
        Assert.DoesNotContain(shapes.ToString(CultureInfo.InvariantCulture), header);
        var focused = page.Locator("#viewport g.node.focused");
        Assert.Equal(1, await focused.CountAsync());
        Assert.Equal($"project:{shapes}", await focused.GetAttributeAsync("data-id"));
        var inView = await page.EvaluateAsync<bool>("() => { const n = document.querySelector('#viewport g.node.focused').getBoundingClientRect(), f = document.getElementById('graph-scroll').getBoundingClientRect(); return n.left >= f.left && n.right <= f.right && n.top >= f.top && n.bottom <= f.bottom; }");
        Assert.True(inView, "the focused node is outside the frame");

        // Opened for a task: the header names the task by its title.
        var tasks = JsonDocument.Parse(await http.GetStringAsync("/api/v1/tasks")).RootElement;
        var first = (tasks.ValueKind == JsonValueKind.Array ? tasks : tasks.GetProperty("tasks")).EnumerateArray().First();
        var taskId = first.GetProperty("id").GetInt64();
        await page.GotoAsync($"{demo.BaseUrl}/graph?task={taskId}");
        await page.WaitForSelectorAsync("body[data-graph-ready='1']");
        Assert.Contains($"task {first.GetProperty("title").GetString()}", await page.InnerTextAsync("#graph-title"));
        Assert.Equal($"task:{taskId}", await page.Locator("#viewport g.node.focused").GetAttributeAsync("data-id"));
    }

    [Fact]
    public async Task A_description_is_on_the_card_and_its_edit_button_saves_a_new_one()
    {
        using var http = new HttpClient { BaseAddress = new Uri(demo.BaseUrl) };
        var shapes = await ShapesIdAsync(http);
        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await page.GotoAsync($"{demo.BaseUrl}/graph?project={shapes}");
        await page.WaitForSelectorAsync("body[data-graph-ready='1']");

        // The seeded model's description is on its card.
        var model = page.Locator("#viewport g.node.model");
        Assert.StartsWith("Sample detector", await model.First.Locator("text.desc").TextContentAsync());

        var node = page.Locator($"#viewport g.node[data-id='project:{shapes}']");
        await node.Locator("g.edit").ClickAsync();
        // The click edits; it does not open the project's page.
        Assert.EndsWith($"/graph?project={shapes}", page.Url);
        await page.FillAsync("#node-desc", "Labels fixed in v2");
        await page.ClickAsync("#node-save");
        await page.WaitForSelectorAsync("#node-desc-text[data-saved='1']");
        Assert.Equal("Labels fixed in v2", await page.InnerTextAsync("#node-desc-text"));
        Assert.Equal("Labels fixed in v2", await node.Locator("text.desc").TextContentAsync());
        var graph = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/graph?project={shapes}")).RootElement;
        Assert.Equal("Labels fixed in v2", graph.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == $"project:{shapes}").GetProperty("description").GetString());

        // A long one is cut on the card, and whole in its tooltip.
        await page.ClickAsync("#node-edit");
        var longer = "Generated shapes on noisy gradients; the labels were fixed by hand in version 2";
        await page.FillAsync("#node-desc", longer);
        await page.ClickAsync("#node-save");
        await page.WaitForFunctionAsync("t => document.getElementById('node-desc-text').textContent === t", longer);
        var onCard = await node.Locator("text.desc").TextContentAsync();
        Assert.EndsWith("…", onCard);
        Assert.StartsWith(onCard![..^1], longer, StringComparison.Ordinal);
        Assert.Contains(longer, await node.Locator(":scope > title").TextContentAsync());

        // The edit control answers the keyboard too.
        await node.Locator("g.edit").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal(longer, await page.InputValueAsync("#node-desc"));
    }

    [Fact]
    public async Task The_report_has_its_speed_section_in_the_menu_and_the_comparison_sets_the_models_side_by_side()
    {
        using var http = new HttpClient { BaseAddress = new Uri(demo.BaseUrl) };
        var report = await http.GetStringAsync("/api/v1/evaluations/1/report");
        Assert.Contains("<a href=\"#speed\">Inference speed</a>", report);
        Assert.Contains("<section id=\"speed\">", report);

        var compare = await http.GetStringAsync("/api/v1/evaluations/compare?ids=1,2");
        foreach (var section in new[] { "per-class", "confusion", "speed" })
        {
            Assert.Contains($"<a href=\"#{section}\">", compare);
            Assert.Contains($"<section id=\"{section}\">", compare);
        }

        // A confusion matrix per model, each with its cells.
        Assert.Equal(2, ModelConfusion().Matches(compare).Count);
        // Precision and recall per class, a column pair per model: three classes in the demo.
        var perClass = compare[compare.IndexOf("<section id=\"per-class\">", StringComparison.Ordinal)..];
        perClass = perClass[..perClass.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Equal(2, Regex.Matches(perClass, "<th>precision</th><th>recall</th>").Count);
        var rows = Regex.Matches(perClass, "<tr data-class=\"([^\"]+)\">(.*?)</tr>");
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(2 + 6, Regex.Matches(r.Groups[2].Value, "<td").Count));
        // Both models' speed rows.
        var speed = compare[compare.IndexOf("<section id=\"speed\">", StringComparison.Ordinal)..];
        Assert.Equal(3, Regex.Matches(speed, "<tr data-model=\"1\"><td class=\"l\">.*?</td><td>\\d+</td>").Count);
        Assert.Equal(3, Regex.Matches(speed, "<tr data-model=\"2\"><td class=\"l\">.*?</td><td>\\d+</td>").Count);

        // No legend key lies over a bar, in any chart of either page.
        foreach (var html in new[] { report, compare })
        {
            foreach (Match svg in Regex.Matches(html, "<svg class=\"chart\".*?</svg>", RegexOptions.Singleline))
            {
                var keys = Rects(svg.Value, "legend-key");
                var bars = Rects(svg.Value, "datum");
                foreach (var k in keys)
                {
                    Assert.DoesNotContain(bars, b => b.X < k.X + k.W && k.X < b.X + b.W && b.Y < k.Y + k.H && k.Y < b.Y + b.H);
                }
            }
        }

        Assert.Contains("legend-key", compare);
    }

    [Fact]
    public async Task No_chart_text_of_the_report_or_the_comparison_is_clipped()
    {
        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        // The reports' policy sandboxes them without script; the measuring script needs the policy set aside.
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, BypassCSP = true });
        var page = await context.NewPageAsync();
        foreach (var path in new[] { "/api/v1/evaluations/1/report", "/api/v1/evaluations/compare?ids=1,2" })
        {
            await page.GotoAsync(demo.BaseUrl + path);
            var outside = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('svg.chart')].flatMap(svg => { const f = svg.getBoundingClientRect();
                  return [...svg.querySelectorAll('text')].filter(t => { const r = t.getBoundingClientRect();
                    return r.width > 0 && (r.left < f.left - 1 || r.right > f.right + 1 || r.top < f.top - 1 || r.bottom > f.bottom + 1); })
                  .map(t => t.textContent); })
                """);
            Assert.True(outside.Length == 0, $"{path}: clipped chart text: {string.Join(" | ", outside)}");
            Assert.True(await page.Locator("svg.chart text").CountAsync() > 50);
        }
    }

    private static List<(double X, double Y, double W, double H)> Rects(string svg, string cls) =>
        [.. Regex.Matches(svg, $"<rect class=\"{cls}\" x=\"([-0-9.]+)\" y=\"([-0-9.]+)\" width=\"([0-9.]+)\" height=\"([0-9.]+)\"")
            .Select(m => (D(m.Groups[1].Value), D(m.Groups[2].Value), D(m.Groups[3].Value), D(m.Groups[4].Value)))];

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [GeneratedRegex("<div class=\"model-confusion\" data-model=\"[12]\">.*?<svg class=\"chart\".*?<rect ", RegexOptions.Singleline)]
    private static partial Regex ModelConfusion();
}
