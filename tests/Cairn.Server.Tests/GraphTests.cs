using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cairn.Client;
using Microsoft.Playwright;

namespace Cairn.Server.Tests;

public sealed class GraphTests(PipelineFixture p) : IClassFixture<PipelineFixture>
{
    private sealed record Node(string Id, string Kind, string Title, string? Parent, string? Link, string? Status, string? Color, string? Description);

    private sealed record Edge(string From, string To, string Kind);

    private sealed record Graph(List<Node> Nodes, List<Edge> Edges);

    private async Task<Graph> GetAsync(string query) => (await p.Http.GetFromJsonAsync<Graph>("/api/v1/graph" + query))!;

    private static string Key(Graph g, string id) => g.Nodes.Single(n => n.Id == id) is var n ? $"{n.Kind}:{n.Title}" : id;

    [Fact]
    public async Task Project_lineage_graph_of_import_filter_run_has_the_expected_nodes_and_edges()
    {
        var g = await GetAsync($"?project={p.TinyId}");

        // Expected from the pipeline the fixture runs (see PipelineFixture): each task's recorded inputs and outputs.
        Assert.Equal(
            new[]
            {
                "file:best.pt", "file:last.pt", "file:metrics.json", "folder:weights",
                "project:tiny", "project:tiny-people",
                "task:filter tiny → tiny-people", "task:import coco → tiny", "task:train",
                "version:tiny-people@1", "version:tiny@1",
            }.Order(StringComparer.Ordinal),
            g.Nodes.Select(n => $"{n.Kind}:{n.Title}").Order(StringComparer.Ordinal));
        var run = $"task:{p.RunTask}";
        var filter = $"task:{p.FilterTask}";
        var import = $"task:{p.ImportTask}";
        var edges = g.Edges.Select(e => $"{Short(g, e.From)} -{e.Kind}-> {Short(g, e.To)}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            new[]
            {
                "import -output-> project:tiny", "import -output-> version:tiny@1", "project:tiny -version-> version:tiny@1",
                "version:tiny@1 -input-> filter", "filter -output-> project:tiny-people", "filter -output-> version:tiny-people@1",
                "project:tiny-people -version-> version:tiny-people@1", "version:tiny-people@1 -input-> run",
                "run -output-> file:metrics.json", "run -output-> folder:weights",
                "folder:weights -contains-> file:best.pt", "folder:weights -contains-> file:last.pt",
            }.Order(StringComparer.Ordinal),
            edges);
        // Checkpoints fold into the folder; every non-folder node links to a page.
        Assert.All(g.Nodes.Where(n => n.Title.EndsWith(".pt", StringComparison.Ordinal)), n => Assert.Equal("folder", g.Nodes.Single(x => x.Id == n.Parent).Kind));
        Assert.All(g.Nodes.Where(n => n.Kind != "folder"), n => Assert.False(string.IsNullOrEmpty(n.Link), n.Id));
        Assert.All(g.Nodes.Where(n => n.Kind == "task"), n => Assert.Equal("succeeded", n.Status));

        string Short(Graph g2, string id) => id == run ? "run" : id == filter ? "filter" : id == import ? "import" : Key(g2, id);
    }

    [Fact]
    public async Task Task_scope_depth_and_kind_filter_narrow_the_graph()
    {
        var g = await GetAsync($"?task={p.FilterTask}&depth=1");
        Assert.Equal(
            new[] { "project:tiny-people", $"task:{p.FilterTask}", "version:tiny-people@1", "version:tiny@1", "project:tiny" }.Order(StringComparer.Ordinal).ToList(),
            g.Nodes.Select(n => n.Kind == "task" ? n.Id : $"{n.Kind}:{n.Title}").Order(StringComparer.Ordinal).ToList());
        var tasksOnly = await GetAsync("?kinds=task");
        Assert.Equal(7, tasksOnly.Nodes.Count); // the fixture's two pipelines: 3 tasks and 4
        Assert.Empty(tasksOnly.Edges);
        var bad = await p.Http.GetAsync("/api/v1/graph?kinds=task,widget");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Graph_page_shows_the_pipeline_and_clicking_a_node_opens_its_page()
    {
        var expected = await GetAsync($"?project={p.TinyId}");
        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await page.GotoAsync($"{p.BaseUrl}/graph?project={p.TinyId}");
        await page.WaitForSelectorAsync("body[data-graph-ready='1']");

        // Folded: files inside the weights folder are hidden until it is expanded.
        var shown = await page.Locator("#viewport g.node").EvaluateAllAsync<string[]>("gs => gs.map(g => g.dataset.id)");
        Assert.Equal(expected.Nodes.Where(n => n.Parent is null).Select(n => n.Id).Order(StringComparer.Ordinal), shown.Order(StringComparer.Ordinal));
        var drawnEdges = await page.Locator("#viewport path.edge").EvaluateAllAsync<string[]>("ps => ps.map(p => p.dataset.from + '>' + p.dataset.to)");
        var visible = expected.Nodes.Where(n => n.Parent is null).Select(n => n.Id).ToHashSet();
        Assert.Equal(expected.Edges.Where(e => visible.Contains(e.From) && visible.Contains(e.To)).Select(e => e.From + ">" + e.To).Order(StringComparer.Ordinal), drawnEdges.Order(StringComparer.Ordinal));
        // Laid out by Graphviz's dot (WebAssembly), which draws edges as Bézier curves.
        Assert.Equal("graphviz", await page.EvaluateAsync<string>("() => window.cairnGraph.engine"));
        Assert.All(await page.Locator("#viewport path.edge").EvaluateAllAsync<string[]>("ps => ps.map(p => p.getAttribute('d'))"), d => Assert.Contains("C", d));

        // Every drawn node has a real extent (laid out, not stacked at the origin).
        var positions = await page.Locator("#viewport g.node").EvaluateAllAsync<string[]>("gs => gs.map(g => g.getAttribute('transform'))");
        Assert.Equal(positions.Length, positions.Distinct().Count());

        var folder = expected.Nodes.Single(n => n.Kind == "folder").Id;
        await page.Locator($"#viewport g.node[data-id='{folder}']").ClickAsync();
        await page.WaitForFunctionAsync($"() => document.querySelectorAll('#viewport g.node').length === {expected.Nodes.Count}");

        // Search highlights the match.
        await page.FillAsync("#search", "tiny-people@1");
        Assert.Equal(1, await page.Locator("#viewport g.node.hit").CountAsync());

        // The wait starts before the click and ends at the navigation's commit; the page's content is then awaited by
        // selector. (Waiting for a load state after the URL already matched hung once in CI: the task page keeps a
        // live connection open.)
        var toTask = page.WaitForURLAsync($"**/tasks/{p.FilterTask}", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await page.Locator($"#viewport g.node[data-id='task:{p.FilterTask}']").ClickAsync();
        await toTask;
        await page.WaitForSelectorAsync("#task-title");
        Assert.Contains("filter tiny", await page.InnerTextAsync("#task-title"));
        // A fresh load rather than GoBack: whether the browser restores the page from its back-forward cache
        // is its own choice, and the test is about the click.
        await page.GotoAsync($"{p.BaseUrl}/graph?project={p.TinyId}");
        await page.WaitForSelectorAsync("body[data-graph-ready='1']");
        var toProject = page.WaitForURLAsync($"**/projects/{p.PeopleId}", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await page.Locator($"#viewport g.node[data-id='project:{p.PeopleId}']").ClickAsync();
        await toProject;
        await page.WaitForSelectorAsync("main h1");
        Assert.Equal("tiny-people", (await page.InnerTextAsync("main h1")).Trim());
    }

    [Fact]
    public async Task A_large_graph_is_drawn_as_boxes_until_zoomed_in_and_each_lineage_is_laid_out_apart()
    {
        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 800 } });
        await page.AddInitScriptAsync("window.cairnGraphManual = true;");
        await page.GotoAsync($"{p.BaseUrl}/graph");
        // 30 independent chains of 20 nodes: 600 nodes, 570 edges.
        await page.EvaluateAsync("""
            () => {
              const nodes = [], edges = [];
              for (let c = 0; c < 30; c++) for (let i = 0; i < 20; i++) {
                nodes.push({ id: `n${c}-${i}`, kind: i % 2 ? 'task' : 'project', title: `chain ${c} step ${i}`, status: 'succeeded', color: '#3366cc', icon: '•' });
                if (i > 0) edges.push({ from: `n${c}-${i - 1}`, to: `n${c}-${i}`, kind: 'input' });
              }
              window.cairnGraphLoad({ nodes, edges });
            }
            """);
        await page.WaitForSelectorAsync("body[data-graph-ready='1']");
        Assert.Equal(600, await page.Locator("#viewport g.node").CountAsync());
        Assert.Equal(600, await page.Locator("#viewport g.node rect.lod").CountAsync());
        Assert.Equal(0, await page.Locator("#viewport g.node text.title").CountAsync());
        Assert.Equal(570, await page.Locator("#viewport path.edge").CountAsync());

        // Components are stacked: every node of chain 1 lies below every node of chain 0 (each chain is one row).
        var ys = await page.EvaluateAsync<double[][]>("""
            () => [0, 1].map(c => Array.from(document.querySelectorAll(`#viewport g.node[data-id^="n${c}-"]`)).map(g => g.transform.baseVal[0].matrix.f))
            """);
        Assert.Equal(20, ys[0].Length);
        Assert.True(ys[0].Max() < ys[1].Min(), $"chain 0 ends at y {ys[0].Max()}, chain 1 starts at {ys[1].Min()}");

        // Zooming in past the threshold redraws the nodes with their text; the layout does not change.
        var before = await page.GetAttributeAsync("#viewport g.node[data-id='n5-7']", "transform");
        for (var i = 0; i < 20 && await page.Locator("#viewport g.node rect.lod").CountAsync() > 0; i++)
        {
            await page.Mouse.MoveAsync(600, 400);
            await page.Mouse.WheelAsync(0, -400);
        }

        Assert.Equal(0, await page.Locator("#viewport g.node rect.lod").CountAsync());
        Assert.Equal(600, await page.Locator("#viewport g.node text.title").CountAsync());
        Assert.Equal(before, await page.GetAttributeAsync("#viewport g.node[data-id='n5-7']", "transform"));
    }

    [Fact]
    public async Task Without_graphviz_the_page_lays_out_with_dagre()
    {
        var expected = await GetAsync($"?project={p.TinyId}");
        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync();
        await page.RouteAsync("**/static/vendor/graphviz.js", r => r.AbortAsync());
        await page.GotoAsync($"{p.BaseUrl}/graph?project={p.TinyId}");
        await page.WaitForSelectorAsync("body[data-graph-ready='1']");
        Assert.Equal("dagre", await page.EvaluateAsync<string>("() => window.cairnGraph.engine"));
        Assert.Equal(expected.Nodes.Count(n => n.Parent is null), await page.Locator("#viewport g.node").CountAsync());
    }

    [Fact]
    public async Task Import_augment_split_run_files_pipeline_is_drawn_as_recorded()
    {
        var g = await GetAsync($"?project={p.PipeId}");
        Assert.Equal(
            new[]
            {
                "file:best.pt", "file:last.pt", "file:metrics.json", "folder:weights",
                "project:pipe", "project:pipe-aug", "project:pipe-train", "project:pipe-val",
                "task:augment pipe → pipe-aug", "task:import coco → pipe", "task:split pipe-aug → pipe", "task:train on pipe",
                "version:pipe-aug@1", "version:pipe-train@1", "version:pipe-val@1", "version:pipe@1",
            },
            g.Nodes.Select(n => $"{n.Kind}:{n.Title}").Order(StringComparer.Ordinal));
        Assert.Equal(
            new[]
            {
                "folder:weights -contains-> file:best.pt",
                "folder:weights -contains-> file:last.pt",
                "project:pipe -version-> version:pipe@1",
                "project:pipe-aug -version-> version:pipe-aug@1",
                "project:pipe-train -version-> version:pipe-train@1",
                "project:pipe-val -version-> version:pipe-val@1",
                "task:augment pipe → pipe-aug -output-> project:pipe-aug",
                "task:augment pipe → pipe-aug -output-> version:pipe-aug@1",
                "task:import coco → pipe -output-> project:pipe",
                "task:import coco → pipe -output-> version:pipe@1",
                "task:split pipe-aug → pipe -output-> project:pipe-train",
                "task:split pipe-aug → pipe -output-> project:pipe-val",
                "task:split pipe-aug → pipe -output-> version:pipe-train@1",
                "task:split pipe-aug → pipe -output-> version:pipe-val@1",
                "task:train on pipe -output-> file:metrics.json",
                "task:train on pipe -output-> folder:weights",
                "version:pipe-aug@1 -input-> task:split pipe-aug → pipe",
                "version:pipe-train@1 -input-> task:train on pipe",
                "version:pipe@1 -input-> task:augment pipe → pipe-aug",
            },
            g.Edges.Select(e => $"{Key(g, e.From)} -{e.Kind}-> {Key(g, e.To)}").Order(StringComparer.Ordinal));

        // In chromium: the same nodes (files folded into their folder) and edges, left to right in pipeline order.
        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 900 } });
        await page.GotoAsync($"{p.BaseUrl}/graph?project={p.PipeId}");
        await page.WaitForSelectorAsync("body[data-graph-ready='1']");
        var top = g.Nodes.Where(n => n.Parent is null).Select(n => n.Id).ToHashSet();
        Assert.Equal(top.Order(StringComparer.Ordinal), (await page.Locator("#viewport g.node").EvaluateAllAsync<string[]>("gs => gs.map(g => g.dataset.id)")).Order(StringComparer.Ordinal));
        Assert.Equal(
            g.Edges.Where(e => top.Contains(e.From) && top.Contains(e.To)).Select(e => e.From + ">" + e.To).Order(StringComparer.Ordinal),
            (await page.Locator("#viewport path.edge").EvaluateAllAsync<string[]>("ps => ps.map(p => p.dataset.from + '>' + p.dataset.to)")).Order(StringComparer.Ordinal));
        var x = new Dictionary<string, double>();
        foreach (var id in new[] { $"task:{p.AugmentTask}", $"task:{p.SplitTask}", $"task:{p.PipeRunTask}" })
        {
            x[id] = await page.Locator($"#viewport g.node[data-id='{id}']").EvaluateAsync<double>("g => g.transform.baseVal[0].matrix.e");
        }

        Assert.True(x[$"task:{p.AugmentTask}"] < x[$"task:{p.SplitTask}"] && x[$"task:{p.SplitTask}"] < x[$"task:{p.PipeRunTask}"], string.Join(", ", x));
        var toTask = page.WaitForURLAsync($"**/tasks/{p.SplitTask}", new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await page.Locator($"#viewport g.node[data-id='task:{p.SplitTask}']").ClickAsync();
        await toTask;
        await page.WaitForSelectorAsync("#task-title");
        Assert.Contains("split pipe-aug", await page.InnerTextAsync("#task-title"));
    }
}
