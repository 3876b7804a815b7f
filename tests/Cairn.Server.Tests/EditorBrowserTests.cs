using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Cairn.Server.Tests;

/// <summary>The item page's annotation editor in chromium: drawing, reclassing, saving, undo/redo, the diff it makes.</summary>
public sealed class EditorBrowserTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    internal static async Task<(IPlaywright Pw, IBrowser Browser, IPage Page)> OpenAsync()
    {
        var pw = await Playwright.CreateAsync();
        var browser = await BrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        page.PageError += (_, e) => throw new InvalidOperationException("page error: " + e);
        return (pw, browser, page);
    }

    private async Task<JsonElement> ItemAsync(long id) => await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/items/{id}");

    private async Task<(long Id, string Name)> TinyItemAsync(int index)
    {
        var items = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/items?skip={index}&take=1");
        return (items[0].GetProperty("id").GetInt64(), items[0].GetProperty("name").GetString()!);
    }

    // Makes a version of tiny (or returns the latest when nothing changed): its number.
    private async Task<int> VersionAsync(string title)
    {
        using var r = await server.Http.PostAsJsonAsync($"/api/v1/projects/{server.ProjectId}/versions", new { title });
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetProperty("number").GetInt32();
    }

    internal static async Task<int> LabelCountAsync(IPage page) => await page.EvaluateAsync<int>("() => window.cairnEditor.state().labels.length");

    // Presses, drags and releases the mouse between two image points, as a user draws.
    internal static async Task DragAsync(IPage page, double x0, double y0, double x1, double y1)
    {
        var a = await page.EvaluateAsync<JsonElement>($"() => window.cairnEditor.toClient({x0}, {y0})");
        var b = await page.EvaluateAsync<JsonElement>($"() => window.cairnEditor.toClient({x1}, {y1})");
        await page.Mouse.MoveAsync(a.GetProperty("x").GetSingle(), a.GetProperty("y").GetSingle());
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(b.GetProperty("x").GetSingle(), b.GetProperty("y").GetSingle(), new MouseMoveOptions { Steps = 5 });
        await page.Mouse.UpAsync();
    }

    [Fact]
    public async Task A_box_drawn_with_the_mouse_reclassed_and_saved_shows_as_added_in_the_next_versions_item_diff()
    {
        var (id, name) = await TinyItemAsync(0);
        var before = (await ItemAsync(id)).GetProperty("annotation").GetProperty("labels").GetArrayLength();
        var baseline = await VersionAsync("before the editor");
        var (pw, browser, page) = await OpenAsync();
        using var _ = pw;
        await using var __ = browser;

        // The editor opens from the item page's button.
        await page.GotoAsync($"{server.BaseUrl}/items/{id}");
        Assert.False(await page.IsVisibleAsync("#editor"));
        await page.ClickAsync("#edit-toggle");
        await page.WaitForSelectorAsync("#editor[data-ready='1']");
        Assert.Equal(before, await LabelCountAsync(page));
        var classes = await page.Locator("#ed-class option").AllTextContentsAsync();
        Assert.True(classes.Count >= 2, "the class picker lists the project's classes");
        var project = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}");
        Assert.Equal(project.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList(), await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#ed-class option')].map(o => o.value)"));

        // Draw a box with the mouse (B, press, drag, release): one more label, a rectangle where the mouse went.
        await page.Keyboard.PressAsync("b");
        await DragAsync(page, 20, 30, 120, 110);
        Assert.Equal(before + 1, await LabelCountAsync(page));
        var box = await page.EvaluateAsync<double[]>("() => { const s = window.cairnEditor.state(); return s.labels[s.labels.length - 1].box; }");
        Assert.InRange(box[0], 17, 23);
        Assert.InRange(box[1], 27, 33);
        Assert.InRange(box[2], 117, 123);
        Assert.InRange(box[3], 107, 113);
        Assert.Equal(before, await page.EvaluateAsync<int>("() => window.cairnEditor.selected()"));

        // Change its class through the picker (the last class of the project, not the first one it was drawn with).
        var target = await page.EvaluateAsync<string>("() => { const o = document.querySelectorAll('#ed-class option'); return o[o.length - 1].value; }");
        await page.SelectOptionAsync("#ed-class", target);
        Assert.Equal(target, await page.EvaluateAsync<string>("() => { const s = window.cairnEditor.state(); return s.labels[s.labels.length - 1].class; }"));
        Assert.Contains("unsaved", await page.InnerTextAsync("#ed-status"));

        // Save: the working state holds the new label.
        await page.ClickAsync("#ed-save");
        await page.WaitForFunctionAsync("() => document.getElementById('ed-status').textContent.startsWith('saved')");
        var saved = (await ItemAsync(id)).GetProperty("annotation").GetProperty("labels");
        Assert.Equal(before + 1, saved.GetArrayLength());
        var added = saved[before];
        Assert.Equal(target, added.GetProperty("class").GetString());
        Assert.Equal("rectangle", added.GetProperty("type").GetString());

        // A version takes the change; its diff lists the item as a link to the item's diff, which draws the box as added.
        var next = await VersionAsync("a box from the editor");
        Assert.Equal(baseline + 1, next);
        await page.GotoAsync($"{server.BaseUrl}/projects/{server.ProjectId}/versions/diff?a={baseline}&b={next}");
        var link = page.Locator("ul.diff.changed a.item-diff", new PageLocatorOptions { HasText = name });
        Assert.Equal(1, await link.CountAsync());
        await link.ClickAsync();
        await page.WaitForSelectorAsync("#item-diff");
        Assert.Equal(1, await page.Locator("#diff-after g.label.added").CountAsync());
        Assert.Equal(target, await page.GetAttributeAsync("#diff-after g.label.added", "data-class"));
        Assert.Equal(0, await page.Locator("#diff-before g.label.added, #diff-before g.label.removed, #diff-after g.label.removed").CountAsync());
        Assert.Equal(before, await page.Locator("#diff-before g.label.same").CountAsync());
        // The added box is drawn where it was put, in the image's pixels.
        Assert.InRange(double.Parse(await page.GetAttributeAsync("#diff-after g.label.added rect", "x") ?? "-1", System.Globalization.CultureInfo.InvariantCulture), 17, 23);
        Assert.Equal(1, await page.Locator("#label-changes tbody tr.added").CountAsync());
    }

    [Fact]
    public async Task Undo_and_redo_step_through_drawing_deleting_and_pasting()
    {
        var (id, _) = await TinyItemAsync(1);
        var (pw, browser, page) = await OpenAsync();
        using var _ = pw;
        await using var __ = browser;
        await page.GotoAsync($"{server.BaseUrl}/items/{id}?edit=true");
        await page.WaitForSelectorAsync("#editor[data-ready='1']");
        var n = await LabelCountAsync(page);
        Assert.True(await page.IsDisabledAsync("#ed-undo"));

        await page.Keyboard.PressAsync("b");
        await DragAsync(page, 10, 10, 60, 70);
        Assert.Equal(n + 1, await LabelCountAsync(page));
        await page.Keyboard.PressAsync("Control+c");
        await page.Keyboard.PressAsync("Control+v");
        Assert.Equal(n + 2, await LabelCountAsync(page));
        var drawn = await page.EvaluateAsync<double[]>("() => { const s = window.cairnEditor.state(); return s.labels[s.labels.length - 2].box; }");
        var pasted = await page.EvaluateAsync<double[]>("() => { const s = window.cairnEditor.state(); return s.labels[s.labels.length - 1].box; }");
        Assert.Equal(drawn[0] + 10, pasted[0], 1);
        Assert.Equal(drawn[3] + 10, pasted[3], 1);
        await page.Keyboard.PressAsync("Delete");
        Assert.Equal(n + 1, await LabelCountAsync(page));

        await page.Keyboard.PressAsync("Control+z"); // the delete
        Assert.Equal(n + 2, await LabelCountAsync(page));
        await page.Keyboard.PressAsync("Control+z"); // the paste
        await page.Keyboard.PressAsync("Control+z"); // the box
        Assert.Equal(n, await LabelCountAsync(page));
        Assert.True(await page.IsDisabledAsync("#ed-undo"));
        await page.Keyboard.PressAsync("Control+Shift+z");
        Assert.Equal(n + 1, await LabelCountAsync(page));
        await page.ClickAsync("#ed-redo");
        Assert.Equal(n + 2, await LabelCountAsync(page));
        await page.Keyboard.PressAsync("Control+y");
        Assert.Equal(n + 1, await LabelCountAsync(page));
        Assert.True(await page.IsDisabledAsync("#ed-redo"));

        // Nothing was saved: the working state still has the labels it had.
        Assert.Equal(n, (await ItemAsync(id)).GetProperty("annotation").GetProperty("labels").GetArrayLength());

        // The help panel lists the hotkeys.
        await page.Keyboard.PressAsync("?");
        Assert.True(await page.IsVisibleAsync("#ed-help"));
        Assert.Contains("Ctrl+Z", await page.InnerTextAsync("#ed-help"));
    }

    [Fact]
    public async Task Polygon_vertices_are_added_moved_and_deleted_and_a_point_is_placed()
    {
        var (id, _) = await TinyItemAsync(2);
        var (pw, browser, page) = await OpenAsync();
        using var _ = pw;
        await using var __ = browser;
        await page.GotoAsync($"{server.BaseUrl}/items/{id}?edit=true");
        await page.WaitForSelectorAsync("#editor[data-ready='1']");
        var n = await LabelCountAsync(page);

        async Task ClickAt(double x, double y, KeyboardModifier[]? modifiers = null)
        {
            var p = await page.EvaluateAsync<JsonElement>($"() => window.cairnEditor.toClient({x}, {y})");
            await page.Mouse.ClickAsync(p.GetProperty("x").GetSingle(), p.GetProperty("y").GetSingle());
        }

        await page.Keyboard.PressAsync("p");
        await ClickAt(50, 50);
        await ClickAt(150, 50);
        await ClickAt(150, 150);
        await ClickAt(50, 150);
        await page.Keyboard.PressAsync("Enter");
        var exterior = await page.EvaluateAsync<double[]>("() => { const s = window.cairnEditor.state(); return s.labels[s.labels.length - 1].exterior; }");
        Assert.Equal(8, exterior.Length);

        // Selected in the select tool it shows a handle per vertex: drag one, double-click an edge to add one.
        await page.Keyboard.PressAsync("v");
        await page.EvaluateAsync($"() => window.cairnEditor.select({n})");
        await DragAsync(page, 150, 150, 180, 170);
        exterior = await page.EvaluateAsync<double[]>("() => { const s = window.cairnEditor.state(); return s.labels[s.labels.length - 1].exterior; }");
        Assert.InRange(exterior[4], 177, 183);
        Assert.InRange(exterior[5], 167, 173);
        var mid = await page.EvaluateAsync<JsonElement>("() => window.cairnEditor.toClient(100, 50)");
        await page.Mouse.DblClickAsync(mid.GetProperty("x").GetSingle(), mid.GetProperty("y").GetSingle());
        exterior = await page.EvaluateAsync<double[]>("() => { const s = window.cairnEditor.state(); return s.labels[s.labels.length - 1].exterior; }");
        Assert.Equal(10, exterior.Length);
        Assert.InRange(exterior[2], 97, 103);

        // Alt+click on that vertex deletes it again.
        var v = await page.EvaluateAsync<JsonElement>("() => window.cairnEditor.toClient(100, 50)");
        await page.Keyboard.DownAsync("Alt");
        await page.Mouse.ClickAsync(v.GetProperty("x").GetSingle(), v.GetProperty("y").GetSingle());
        await page.Keyboard.UpAsync("Alt");
        Assert.Equal(8, (await page.EvaluateAsync<double[]>("() => { const s = window.cairnEditor.state(); return s.labels[s.labels.length - 1].exterior; }")).Length);

        await page.Keyboard.PressAsync("o");
        await ClickAt(300, 200);
        var point = await page.EvaluateAsync<JsonElement>("() => { const s = window.cairnEditor.state(); return s.labels[s.labels.length - 1]; }");
        Assert.Equal("point", point.GetProperty("type").GetString());
        Assert.Equal(n + 2, await LabelCountAsync(page));
    }

    [Fact]
    public async Task Adding_a_class_is_an_explicit_act_and_the_api_refuses_a_label_of_an_unknown_class()
    {
        var (id, _) = await TinyItemAsync(3);
        // A label of a class the project lacks is refused by the API, naming the field and the classes it may take.
        var item = await ItemAsync(id);
        var labels = item.GetProperty("annotation").GetProperty("labels").EnumerateArray().Select(l => (object)l).ToList();
        labels.Add(new { @class = "unicorn", type = "rectangle", box = new[] { 1, 1, 5, 5 } });
        using (var r = await server.Http.PutAsJsonAsync($"/api/v1/items/{id}/annotation", new { w = item.GetProperty("item").GetProperty("width").GetInt32(), h = item.GetProperty("item").GetProperty("height").GetInt32(), labels }))
        {
            Assert.Equal(422, (int)r.StatusCode);
            Assert.Contains($"labels[{labels.Count - 1}].class", await r.Content.ReadAsStringAsync());
        }

        var (pw, browser, page) = await OpenAsync();
        using var _ = pw;
        await using var __ = browser;
        await page.GotoAsync($"{server.BaseUrl}/items/{id}?edit=true");
        await page.WaitForSelectorAsync("#editor[data-ready='1']");
        Assert.Equal(0, await page.Locator("#ed-class option[value='unicorn']").CountAsync());
        await page.ClickAsync("#ed-add-class-box summary");
        await page.FillAsync("#ed-new-class", "unicorn");
        await page.ClickAsync("#ed-add-class");
        await page.WaitForSelectorAsync("#ed-class option[value='unicorn']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        Assert.Equal("unicorn", await page.InputValueAsync("#ed-class"));
        var project = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}");
        Assert.Contains("unicorn", project.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        // Adding it twice is a conflict, said in the status line.
        await page.FillAsync("#ed-new-class", "unicorn");
        await page.ClickAsync("#ed-add-class");
        await page.WaitForFunctionAsync("() => document.getElementById('ed-status').textContent.includes('409')");

        // Now a unicorn box saves.
        await page.Keyboard.PressAsync("b");
        await DragAsync(page, 5, 5, 40, 40);
        await page.ClickAsync("#ed-save");
        await page.WaitForFunctionAsync("() => document.getElementById('ed-status').textContent.startsWith('saved')");
        var saved = (await ItemAsync(id)).GetProperty("annotation").GetProperty("labels").EnumerateArray().Last();
        Assert.Equal("unicorn", saved.GetProperty("class").GetString());
    }

    [Fact]
    public async Task Previous_and_next_walk_the_dataset_and_keep_the_editor_open()
    {
        var (first, _) = await TinyItemAsync(0);
        var (second, _) = await TinyItemAsync(1);
        var (pw, browser, page) = await OpenAsync();
        using var _ = pw;
        await using var __ = browser;
        await page.GotoAsync($"{server.BaseUrl}/items/{first}");
        Assert.Equal(0, await page.Locator("a#item-prev").CountAsync());
        await page.ClickAsync("#edit-toggle");
        await page.ClickAsync("#item-next");
        await page.WaitForSelectorAsync("#editor[data-ready='1']");
        Assert.EndsWith($"/items/{second}?edit=true", page.Url, StringComparison.Ordinal);
        await page.ClickAsync("#item-prev");
        await page.WaitForSelectorAsync("#editor[data-ready='1']");
        Assert.EndsWith($"/items/{first}?edit=true", page.Url, StringComparison.Ordinal);
    }
}
