using Microsoft.Playwright;

namespace Cairn.Server.Tests;

/// <summary>Signing in and posting a form in Debian's chromium against a server with users.</summary>
public sealed class SignInBrowserTests(TeamServerFixture server) : IClassFixture<TeamServerFixture>
{
    [Fact]
    public async Task A_page_sends_to_sign_in_and_back_and_its_form_carries_the_antiforgery_token()
    {
        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync();

        await page.GotoAsync($"{server.BaseUrl}/projects/{server.ProjectId}/versions");
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);

        await page.FillAsync("#login-form input[name=username]", "ed");
        await page.FillAsync("#login-form input[name=password]", "not the password");
        await page.ClickAsync("#login-form button");
        Assert.Contains("Wrong user name or password", await page.InnerTextAsync("#login-error"));

        await page.FillAsync("#login-form input[name=username]", "ed");
        await page.FillAsync("#login-form input[name=password]", TeamServerFixture.Password);
        await page.ClickAsync("#login-form button");
        await page.WaitForURLAsync($"**/projects/{server.ProjectId}/versions");
        Assert.Contains("ed", await page.InnerTextAsync("#user"));

        // The browser posts the form as rendered (hidden token included); the version records ed as its author.
        await page.FillAsync("#create-version input[name=title]", "from the browser");
        await page.ClickAsync("#create-version button");
        await page.WaitForSelectorAsync("#versions >> text=from the browser");
        var row = await page.InnerTextAsync("#versions tbody tr >> nth=0");
        Assert.Contains("from the browser", row);
        Assert.Contains("\ted\t", row);
    }
}
