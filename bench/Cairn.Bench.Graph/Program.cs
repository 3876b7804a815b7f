// Workflow graph in the browser: a workspace of 2,000 nodes and 3,000 edges (seeded, written straight into the catalog),
// served by a real Cairn server, opened in Debian's chromium through Playwright. Measures, per run, the time from
// navigation start until the graph is laid out (Graphviz dot, dagre as fallback) and drawn, then until the page answers a wheel zoom (one frame).
// Usage: dotnet run -c Release --project bench/Cairn.Bench.Graph -- [runs=7] [shape=pipelines|tree]
//   pipelines: 40 independent pipelines of 10 projects (each with its version) and 30 tasks; a task reads versions
//              made by the 3 tasks before it. tree: one lineage of 400 projects and 1,200 tasks where a task reads any
//              earlier version (long edges: a layered layout routes them through ~12,000 dummy nodes). Both: 2,000 nodes, about 3,000 edges.
using System.Diagnostics;
using System.Globalization;
using Cairn.Server;
using Cairn.Storage;
using Cairn.Storage.Catalog;
using Cairn.Tasks.Graph;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
var shape = args.Length > 1 ? args[1] : "pipelines";
var home = Path.Combine(Path.GetTempPath(), "cairn-graph-bench-" + Guid.NewGuid().ToString("N"));
try
{
    using (var store = CairnStore.Open(home))
    {
        var rng = new Random(42);
        if (shape == "tree")
        {
            Seed(store, 1, 1200, 400, int.MaxValue, rng);
        }
        else
        {
            Seed(store, 40, 30, 10, 3, rng);
        }

        var g = new GraphBuilder(store).Workspace();
        Console.WriteLine($"workspace graph: {g.Nodes.Count} nodes, {g.Edges.Count} edges");
        if (Environment.GetEnvironmentVariable("CAIRN_BENCH_DUMP") is { } dump)
        {
            File.WriteAllText(dump, GraphExport.Json(g));
        }
    }

    var app = CairnServer.Build(new CairnServerOptions { Home = home, Urls = "http://127.0.0.1:0", RunJobs = false });
    await app.StartAsync();
    var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    using var pw = await Playwright.CreateAsync();
    await using var browser = await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CAIRN_CHROMIUM") ?? "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    var ready = new List<double>();
    var interactive = new List<double>();
    var layout = new List<double>();
    var draw = new List<double>();
    var fetch = new List<double>();
    for (var run = 0; run <= runs; run++)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        await page.GotoAsync($"{url}/graph", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.WaitForSelectorAsync("body[data-graph-ready='1']", new PageWaitForSelectorOptions { Timeout = 120_000 });
        var m = await page.EvaluateAsync<double[]>("""
            () => new Promise(resolve => {
              const readyAt = performance.now();
              const svg = document.getElementById('graph-svg');
              const before = document.getElementById('viewport').getAttribute('transform');
              svg.dispatchEvent(new WheelEvent('wheel', { deltaY: -200, clientX: 400, clientY: 300, bubbles: true, cancelable: true }));
              requestAnimationFrame(() => requestAnimationFrame(() => {
                const after = document.getElementById('viewport').getAttribute('transform');
                resolve([readyAt, performance.now(), window.cairnGraph.layoutMs, window.cairnGraph.drawMs, window.cairnGraphFetchMs, before !== after ? 1 : 0, window.cairnGraph.nodes, window.cairnGraph.edges]);
              }));
            })
            """);
        if (Environment.GetEnvironmentVariable("CAIRN_BENCH_TIMING") == "1")
        {
            Console.WriteLine(await page.EvaluateAsync<string>("() => { const n = performance.getEntriesByType('navigation')[0]; return `response ${n.responseEnd.toFixed(0)} domInteractive ${n.domInteractive.toFixed(0)} dcl ${n.domContentLoadedEventEnd.toFixed(0)} engine ${window.cairnGraph.engine} ` + performance.getEntriesByType('resource').map(r => r.name.split('/').pop() + ' ' + r.startTime.toFixed(0) + '-' + r.responseEnd.toFixed(0)).join(', '); }"));
        }

        if (m[5] != 1)
        {
            throw new InvalidOperationException("the wheel event did not zoom the graph");
        }

        if (run > 0)
        {
            ready.Add(m[0]);
            interactive.Add(m[1]);
            layout.Add(m[2]);
            draw.Add(m[3]);
            fetch.Add(m[4]);
        }

        Console.WriteLine($"run {run}{(run == 0 ? " (warm-up)" : string.Empty)}: drawn {m[6]} nodes / {m[7]} edges; ready {m[0]:0} ms after navigation (fetch {m[4]:0}, layout {m[2]:0}, draw {m[3]:0}); zoom answered at {m[1]:0} ms");
        await page.CloseAsync();
    }

    Console.WriteLine($"median over {runs} runs: ready {Median(ready):0} ms, interactive (zoom frame) {Median(interactive):0} ms; fetch {Median(fetch):0} ms, layout {Median(layout):0} ms, draw {Median(draw):0} ms");
    await app.StopAsync();
}
finally
{
    try
    {
        Directory.Delete(home, true);
    }
    catch (IOException)
    {
    }
}

static double Median(List<double> v)
{
    var s = v.Order().ToList();
    return s.Count == 0 ? double.NaN : s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
}

// Each pipeline: <projects> projects with one version each; task i < projects writes project i and its version; every task
// reads one or two versions written by the <window> tasks before it (task 0 reads nothing, like an import).
static void Seed(CairnStore store, int pipelines, int tasks, int projects, int window, Random rng)
{
    using var db = store.Catalog();
    var ws = db.Workspaces.First().Id;
    var now = DateTime.UtcNow;
    for (var p = 0; p < pipelines; p++)
    {
        var projectRows = Enumerable.Range(0, projects).Select(i => new ProjectRow { WorkspaceId = ws, Name = $"pipe{p}-p{i}", MetaJson = "{}", CreatedAt = now, UpdatedAt = now }).ToList();
        db.Projects.AddRange(projectRows);
        db.SaveChanges();
        var versionRows = projectRows.Select(x => new VersionRow { ProjectId = x.Id, Number = 1, RootId = new byte[32], StatsJson = "{}", CreatedAt = now }).ToList();
        db.Versions.AddRange(versionRows);
        db.SaveChanges();
        var taskRows = Enumerable.Range(0, tasks).Select(i => new TaskRow { WorkspaceId = ws, Kind = i % 3 == 0 ? "augment" : "filter", Title = $"pipe{p} op {i}", ParametersJson = "{}", Status = "succeeded", Progress = 1, CreatedAt = now }).ToList();
        db.Tasks.AddRange(taskRows);
        db.SaveChanges();
        var relations = new List<TaskRelationRow>();
        for (var i = 0; i < tasks; i++)
        {
            var limit = Math.Min(i, projects);
            var from = window == int.MaxValue ? 0 : Math.Max(0, limit - window);
            var inputs = i >= projects && i % 4 != 0 ? 2 : 1;
            var chosen = new HashSet<int>();
            while (limit > 0 && chosen.Count < Math.Min(inputs, limit - from))
            {
                chosen.Add(rng.Next(from, limit));
            }

            foreach (var v in chosen)
            {
                relations.Add(new TaskRelationRow { TaskId = taskRows[i].Id, Direction = "input", NodeKind = "version", RefId = versionRows[v].Id, Title = $"p{v}@1", CreatedAt = now });
            }

            if (i < projects)
            {
                relations.Add(new TaskRelationRow { TaskId = taskRows[i].Id, Direction = "output", NodeKind = "project", RefId = projectRows[i].Id, Title = $"p{i}", CreatedAt = now });
                relations.Add(new TaskRelationRow { TaskId = taskRows[i].Id, Direction = "output", NodeKind = "version", RefId = versionRows[i].Id, Title = $"p{i}@1", CreatedAt = now });
            }
        }

        db.TaskRelations.AddRange(relations);
        db.SaveChanges();
    }
}
