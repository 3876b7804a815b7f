using Microsoft.Playwright;
using static Cairn.Server.Tests.HostileWorkspaceFixture;

namespace Cairn.Server.Tests;

/// <summary>
/// Every page, in chromium, over a workspace whose names are markup: nothing the users typed runs, every page still
/// works under the Content-Security-Policy (no violation at all is reported), and the names show as text.
/// </summary>
public sealed class HostileNamesBrowserTests(HostileWorkspaceFixture w) : IClassFixture<HostileWorkspaceFixture>
{
    // Collects violations in every frame before any page script runs (Playwright's init scripts are not page script).
    private const string ViolationListener =
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));";

    // Elements the payloads would create if a name reached the page as markup; and inline scripts of any origin.
    private const string Injected =
        "() => [...document.querySelectorAll('img[src=\"x\"], svg[onload], [onerror]')].map(e => e.outerHTML)" +
        ".concat([...document.scripts].filter(s => !s.src && s.type !== 'application/json').map(s => 'inline script: ' + s.textContent.slice(0, 80)))";

    [Fact]
    public async Task No_name_runs_as_script_and_every_page_works_under_the_csp()
    {
        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await context.AddInitScriptAsync(ViolationListener);
        var page = await context.NewPageAsync();
        var dialogs = new List<string>();
        var consoleViolations = new List<string>();
        page.Dialog += async (_, d) =>
        {
            dialogs.Add($"{page.Url}: {d.Type} {d.Message}");
            await d.DismissAsync();
        };
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                consoleViolations.Add($"{page.Url}: {m.Text}");
            }
        };

        var pages = new (string Path, string Shows)[]
        {
            ("/projects", Script),
            ($"/projects/{w.ProjectId}", Breaker),
            ($"/projects/{w.ProjectId}/datasets/{w.DatasetIds[0]}", Breaker),
            ($"/projects/{w.ProjectId}/datasets/{w.DatasetIds[1]}", Breaker),
            ($"/projects/{w.ProjectId}/items", Breaker),
            ($"/projects/{w.ProjectId}/items?class={Uri.EscapeDataString(Script)}&name={Uri.EscapeDataString(Breaker)}", Breaker),
            ($"/projects/{w.ProjectId}/items?minLabels={Uri.EscapeDataString(Breaker)}", Breaker),
            ($"/items/{w.ItemId}", Script),
            ($"/items/{w.ItemId}?edit=true", Breaker),
            ($"/projects/{w.ProjectId}/versions", Breaker),
            ($"/projects/{w.ProjectId}/versions/1", Script),
            ($"/projects/{w.ProjectId}/versions/1/items/0", Breaker),
            ($"/projects/{w.ProjectId}/versions/1?class={Uri.EscapeDataString(Breaker)}&dataset={Uri.EscapeDataString(Script)}", Script),
            ($"/projects/{w.ProjectId}/versions/diff?a=1&b=working", Breaker),
            ($"/projects/{w.ProjectId}/operations", Script),
            ("/tasks", Script),
            ($"/tasks/{w.TaskId}", Script + Breaker),
            ($"/files/{w.FileId}", "evil.html"),
            ("/models", Script),
            ($"/models/{w.ModelId}", Script),
            ("/evaluations", Breaker),
            ($"/evaluations/{w.EvaluationId}", Breaker),
            ($"/evaluations/{w.EvaluationId}/images/0", Breaker),
            ($"/evaluations/{w.EvaluationId}/confusions?actual=circle&predicted=background", Breaker),
            ($"/graph?project={w.ProjectId}", "Workflow graph"),
            ($"/graph?task={w.TaskId}", "Workflow graph · task " + Script),
            ("/graph", "Workflow graph"),
        };
        var taskNodeChecked = false;
        foreach (var (path, shows) in pages)
        {
            await page.GotoAsync(w.BaseUrl + path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
            if (path.StartsWith("/tasks/", StringComparison.Ordinal))
            {
                // task.js fills the log from the API with textContent: the line with markup arrives as text.
                await page.WaitForFunctionAsync("t => document.getElementById('task-log').textContent.includes(t)", Script + Breaker);
            }

            if (path.EndsWith("?edit=true", StringComparison.Ordinal))
            {
                // The editor (Konva) draws under the policy and lists the classes named with markup as text.
                await page.WaitForSelectorAsync("#editor[data-ready='1']");
                var options = await page.Locator("#ed-class option").AllTextContentsAsync();
                Assert.Contains(options, o => o.EndsWith(Script, StringComparison.Ordinal));
                Assert.Contains(options, o => o.EndsWith(Breaker, StringComparison.Ordinal));
                Assert.Equal(2, await page.EvaluateAsync<int>("() => window.cairnEditor.state().labels.length"));
            }
            else if (path.StartsWith("/items/", StringComparison.Ordinal) || path.Contains("/items/", StringComparison.Ordinal))
            {
                // item.js still runs: hovering a label in the list highlights its shape.
                await page.HoverAsync("#label-list li >> nth=0");
                Assert.Equal(1, await page.Locator("#item-svg g.label.hl").CountAsync());
            }

            if (path.StartsWith("/graph", StringComparison.Ordinal))
            {
                taskNodeChecked |= await GraphWorksAsync(page);
            }

            if (path.Contains("/versions/diff?", StringComparison.Ordinal))
            {
                // The changed item links to its own diff (dataset and name as query values), which draws both sides.
                await page.ClickAsync("ul.diff.changed a.item-diff >> nth=0");
                await page.WaitForSelectorAsync("#item-diff");
                Assert.Equal(2, await page.Locator("#diff-after g.label").CountAsync());
                Assert.Contains(Breaker, await page.InnerTextAsync("h1"));
                Assert.Empty(await page.EvaluateAsync<string[]>(Injected));
                Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__csp"));
                await page.HoverAsync("#label-changes tbody tr >> nth=0");
                Assert.True(await page.Locator("#item-diff g.label.hl").CountAsync() >= 1);
                await page.GoBackAsync();
            }

            var text = await page.InnerTextAsync("body");
            Assert.True(text.Contains(shows, StringComparison.Ordinal), $"{path} does not show '{shows}' as text");
            Assert.Empty(await page.EvaluateAsync<string[]>(Injected));
            // (The sandboxed report frames run no script, this listener included: their violations reach the console.)
            Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__csp"));
        }

        Assert.True(taskNodeChecked, "the workspace graph did not draw the task node");

        // The augment editor over the hostile project: its preview draws, and a refused form comes back with the
        // markup the user typed kept as text, beside the field the message names.
        await page.GotoAsync($"{w.BaseUrl}/projects/{w.ProjectId}/operations");
        await page.WaitForSelectorAsync("#aug-preview[data-state='ready']");
        await page.Locator("[data-path='steps[0].p']").FillAsync("5");
        await page.FillAsync("#op-augment input[name='p.output']", Breaker);
        await page.ClickAsync("#op-augment button[type='submit']");
        await page.WaitForSelectorAsync("li.aug-step.invalid");
        Assert.Equal(Breaker, await page.InputValueAsync("#op-augment input[name='p.output']"));
        Assert.Contains("outside [0, 1]", await page.InnerTextAsync("li.aug-step.invalid .field-error"));
        Assert.Empty(await page.EvaluateAsync<string[]>(Injected));
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__csp"));

        // Swatches draw without inline styles: an SVG square filled with the class colour.
        await page.GotoAsync($"{w.BaseUrl}/projects/{w.ProjectId}");
        Assert.Equal(2, await page.Locator("#classes svg.swatch rect[fill]").CountAsync());

        Assert.Empty(dialogs);
        Assert.Empty(consoleViolations);
    }

    // True when the hostile task's node was on this graph and checked.
    private async Task<bool> GraphWorksAsync(IPage page)
    {
        await page.WaitForSelectorAsync("body[data-graph-ready='1']");
        var nodes = await page.Locator("#viewport g.node").CountAsync();
        Assert.True(nodes >= 2, $"the graph drew {nodes} nodes");
        // Laid out by Graphviz (WebAssembly), which this page's policy allows, not by the dagre fallback.
        Assert.Equal("graphviz", await page.EvaluateAsync<string>("() => window.cairnGraph.engine"));

        // A node titled with markup shows it as text, in the drawing and in the panel.
        var titles = await page.Locator("#viewport g.node text.title").AllTextContentsAsync();
        Assert.Contains(titles, t => t.StartsWith("<script>", StringComparison.Ordinal));
        var task = page.Locator($"#viewport g.node[data-id='task:{w.TaskId}']");
        if (await task.CountAsync() != 1)
        {
            return false;
        }

        await task.HoverAsync();
        Assert.Equal(Script + " " + Script, await page.InnerTextAsync("#node-panel h3"));
        // Its link is javascript:, which the graph neither offers nor follows.
        Assert.Equal(0, await page.Locator("#node-panel a", new PageLocatorOptions { HasText = "Open" }).CountAsync());
        var before = page.Url;
        await task.ClickAsync();
        Assert.Equal(before, page.Url);
        // The description shows as text in the panel and on the card, and its edit form holds it as typed.
        Assert.Equal(Breaker, await page.InnerTextAsync("#node-desc-text"));
        // (The card cuts it to its width: its start, as text.)
        var card = await task.Locator("text.desc").TextContentAsync();
        Assert.StartsWith(card!.TrimEnd('…'), Breaker, StringComparison.Ordinal);
        Assert.True(card.Length > 10, $"the card shows '{card}'");
        await page.ClickAsync("#node-edit");
        Assert.Equal(Breaker, await page.InputValueAsync("#node-desc"));

        return true;
    }
}
