using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Cairn.Server.Tests;

/// <summary>Who gets the annotation editor: a viewer sees the item and no editor, and the API refuses its write.</summary>
public sealed class EditorRoleTests(TeamServerFixture server) : IClassFixture<TeamServerFixture>
{
    private static async Task SignInAsync(IPage page, string baseUrl, string user)
    {
        await page.GotoAsync($"{baseUrl}/login");
        await page.FillAsync("#login-form input[name=username]", user);
        await page.FillAsync("#login-form input[name=password]", TeamServerFixture.Password);
        await page.ClickAsync("#login-form button");
        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_viewer_sees_the_item_without_editor_or_save_and_the_api_refuses_its_write()
    {
        using var ed = await server.SignInAsync("ed");
        var items = await ed.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/items?take=1");
        var id = items[0].GetProperty("id").GetInt64();
        var annotation = (await ed.GetFromJsonAsync<JsonElement>($"/api/v1/items/{id}")).GetProperty("annotation");

        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var viewer = await browser.NewPageAsync();
        await SignInAsync(viewer, server.BaseUrl, "vi");
        await viewer.GotoAsync($"{server.BaseUrl}/items/{id}?edit=true");
        await viewer.WaitForSelectorAsync("#item-svg g.label");
        Assert.True(await viewer.IsVisibleAsync("#item-svg"));
        Assert.Equal(0, await viewer.Locator("#editor, #ed-save, #edit-toggle").CountAsync());
        Assert.Equal(0, await viewer.Locator("script[src*='editor.js'], script[src*='konva']").CountAsync());

        // The write a viewer's browser could still send is refused, with the cookie it holds.
        var status = await viewer.EvaluateAsync<int>(
            "async ([id, body]) => (await fetch(`/api/v1/items/${id}/annotation`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body })).status",
            new object[] { id, annotation.GetRawText() });
        Assert.Equal(403, status);
        using var vi = await server.SignInAsync("vi");
        using (var r = await vi.PutAsJsonAsync($"/api/v1/items/{id}/annotation", annotation))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        }

        using (var r = await vi.PostAsJsonAsync($"/api/v1/projects/{server.ProjectId}/classes", new { name = "by a viewer" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        }

        // An editor's page has the editor, and the same write goes through.
        var editor = await (await browser.NewContextAsync()).NewPageAsync();
        await SignInAsync(editor, server.BaseUrl, "ed");
        await editor.GotoAsync($"{server.BaseUrl}/items/{id}?edit=true");
        await editor.WaitForSelectorAsync("#editor[data-ready='1']");
        Assert.True(await editor.IsVisibleAsync("#ed-save"));
        using (var r = await ed.PutAsJsonAsync($"/api/v1/items/{id}/annotation", annotation))
        {
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }
    }
}
