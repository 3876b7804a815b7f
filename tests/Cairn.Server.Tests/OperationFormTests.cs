using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Operations.Augment;
using Cairn.Operations.Imaging;
using Cairn.Server.Pages;
using Microsoft.Playwright;

namespace Cairn.Server.Tests;

/// <summary>The augment step editor, its preview and the server's messages beside the fields, against a real server and chromium.</summary>
public sealed class OperationFormTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    // The preview's pixels, summed in the page (the image is same-origin, so a canvas may read it).
    private const string PreviewChecksum = """
        () => { const i = document.getElementById('aug-preview'); const c = document.createElement('canvas');
          c.width = i.naturalWidth; c.height = i.naturalHeight; const g = c.getContext('2d'); g.drawImage(i, 0, 0);
          const d = g.getImageData(0, 0, c.width, c.height).data; let s = 0; for (let k = 0; k < d.length; k += 7) s = (s * 31 + d[k]) % 1000000007; return s; }
        """;

    private static async Task<IPage> OpenAsync(IBrowser browser, string url)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await page.GotoAsync(url);
        await page.WaitForSelectorAsync("#aug-preview[data-state='ready']");
        return page;
    }

    // Waits until the preview has loaded a picture later than the one numbered `after` and made from the pipeline the
    // form holds now (a preview of an intermediate edit can land first when the page is slow).
    private static async Task<int> NextPreviewAsync(IPage page, int after)
    {
        await page.WaitForFunctionAsync("n => { const i = document.getElementById('aug-preview'); return i.dataset.state === 'ready' && Number(i.dataset.serial) > n && i.dataset.pipeline === document.getElementById('aug-json').value; }", after);
        return int.Parse(await page.GetAttributeAsync("#aug-preview", "data-serial") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_pipeline_built_by_clicking_previews_and_runs_with_those_parameters()
    {
        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var page = await OpenAsync(browser, $"{server.BaseUrl}/projects/{server.ProjectId}/operations");
        var serial = await NextPreviewAsync(page, 0);
        var before = await page.EvaluateAsync<long>(PreviewChecksum);

        // Start from an empty list: remove the three default steps.
        var steps = page.Locator("#aug-steps li.aug-step");
        Assert.Equal(3, await steps.CountAsync());
        while (await steps.CountAsync() > 0)
        {
            await steps.First.Locator("button.aug-remove").ClickAsync();
        }

        // Add two steps from the list of transforms.
        await page.SelectOptionAsync("#aug-add-op", "vflip");
        await page.ClickAsync("#aug-add");
        await page.SelectOptionAsync("#aug-add-op", "brightness");
        await page.ClickAsync("#aug-add");
        Assert.Equal(["vflip", "brightness"], await steps.EvaluateAllAsync<string[]>("ls => ls.map(l => l.dataset.op)"));

        // Reorder by clicking, then by keyboard: the moved step keeps the focus, so Enter moves it on.
        await steps.Nth(1).Locator("button.aug-up").ClickAsync();
        Assert.Equal(["brightness", "vflip"], await steps.EvaluateAllAsync<string[]>("ls => ls.map(l => l.dataset.op)"));
        Assert.Equal("brightness", await page.EvaluateAsync<string>("() => document.activeElement.closest('li.aug-step').dataset.op"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal(["vflip", "brightness"], await steps.EvaluateAllAsync<string[]>("ls => ls.map(l => l.dataset.op)"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal(["brightness", "vflip"], await steps.EvaluateAllAsync<string[]>("ls => ls.map(l => l.dataset.op)"));

        // Each parameter is a labelled input that carries its range.
        var from = page.Locator("[data-path='steps[0].delta'][data-part='from']");
        Assert.Equal("-255", await from.GetAttributeAsync("min"));
        Assert.Equal("255", await from.GetAttributeAsync("max"));
        Assert.Contains("Levels added", await page.Locator("li.aug-step >> nth=0 >> label.aug-param:has([data-part='from'])").InnerTextAsync());
        await from.FillAsync("60");
        await page.Locator("[data-path='steps[0].delta'][data-part='to']").FillAsync("60");

        // The preview changes: a brighter, upside-down picture.
        serial = await NextPreviewAsync(page, serial);
        var after = await page.EvaluateAsync<long>(PreviewChecksum);
        Assert.NotEqual(before, after);
        Assert.Contains("2 steps", await page.InnerTextAsync("#aug-preview-status"));

        // Another sample image from the picker (the project's images by name): a different picture, named in the status.
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#aug-preview-item option').length > 3");
        var third = await page.EvaluateAsync<string[]>("() => { const o = document.querySelectorAll('#aug-preview-item option')[3]; return [o.value, o.textContent]; }");
        await page.SelectOptionAsync("#aug-preview-item", third[0]);
        await page.WaitForFunctionAsync("v => { const i = document.getElementById('aug-preview'); return i.dataset.state === 'ready' && i.dataset.item === v; }", third[0]);
        Assert.NotEqual(after, await page.EvaluateAsync<long>(PreviewChecksum));
        Assert.Contains(third[1], await page.InnerTextAsync("#aug-preview-status"), StringComparison.Ordinal);

        await page.FillAsync("#op-augment input[name='p.output']", "clicked-augment");
        await page.ClickAsync("#op-augment button[type='submit']");
        await page.WaitForURLAsync("**/tasks/*");
        var id = long.Parse(new Uri(page.Url).Segments[^1], System.Globalization.CultureInfo.InvariantCulture);
        var task = await TaskApiTests.WaitForEndAsync(server.Http, id);
        Assert.True(task.GetProperty("status").GetString() == "succeeded", task.GetProperty("error").ToString());
        var pipeline = task.GetProperty("parameters").GetProperty("pipeline");
        var posted = pipeline.GetProperty("steps").EnumerateArray().Select(s => s.GetRawText()).ToList();
        Assert.Equal(["""{"op":"brightness","p":1,"delta":60}""", """{"op":"vflip","p":1}"""], posted);
        Assert.Equal(7, pipeline.GetProperty("seed").GetInt32());
        // tiny holds 50 images; two outputs each.
        Assert.Equal(100, task.GetProperty("result").GetProperty("outputs").GetInt32());
    }

    [Fact]
    public async Task An_out_of_range_value_comes_back_beside_its_field_with_the_input_kept()
    {
        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var page = await OpenAsync(browser, $"{server.BaseUrl}/projects/{server.ProjectId}/operations");
        await page.Locator("[data-path='steps[1].p']").FillAsync("2");
        await page.FillAsync("#op-augment input[name='p.output']", "kept-name");
        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#op-augment button[type='submit']"), r => r.Url.EndsWith("/tasks/start", StringComparison.Ordinal));
        Assert.Equal(422, response.Status);
        await page.WaitForSelectorAsync("#aug-steps li.aug-step");

        // The message stands right after the probability field of step 2, which is marked invalid and described by it.
        var error = page.Locator("#op-augment .field-error");
        Assert.Equal(1, await error.CountAsync());
        Assert.Contains("parameter 'pipeline.steps[1].p': 2 is outside [0, 1]", await error.InnerTextAsync());
        var next = await page.EvaluateAsync<string>("() => { const i = document.querySelector(\"[data-path='steps[1].p']\"); return i.closest('label').nextElementSibling.className + '|' + i.getAttribute('aria-invalid') + '|' + i.getAttribute('aria-describedby'); }");
        var errorId = await error.GetAttributeAsync("id");
        Assert.Equal($"field-error|true|{errorId}", next);
        Assert.Equal(1, await page.Locator("li.aug-step.invalid[data-index='1']").CountAsync());

        // What was typed is still there: the value, the steps and the output name.
        Assert.Equal("2", await page.InputValueAsync("[data-path='steps[1].p']"));
        Assert.Equal(3, await page.Locator("#aug-steps li.aug-step").CountAsync());
        Assert.Equal("kept-name", await page.InputValueAsync("#op-augment input[name='p.output']"));
        Assert.Empty(await page.Locator("#op-split .field-error").AllAsync());
    }

    [Fact]
    public async Task A_refused_plain_form_keeps_its_fields_and_names_the_bad_one()
    {
        using var post = await Forms.FromPageAsync(server.Http, $"/projects/{server.ProjectId}/operations", new Dictionary<string, string>
        {
            ["kind"] = "split",
            ["project"] = server.ProjectId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["p.input"] = "tiny",
            ["p.parts$"] = """[{"name":"train","ratio":0.8},{"name":"val","ratio":"most"}]""",
            ["p.target"] = "tags",
            ["p.seed#"] = "5",
            ["p.output"] = "my-split",
        });
        using var r = await server.Http.PostAsync("/tasks/start", post);
        Assert.Equal((HttpStatusCode)422, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        // The message follows the parts field's label; that field is marked and keeps the posted JSON; the others keep theirs.
        Assert.Matches("<input name=\"p.parts\\$\" aria-invalid=\"true\" aria-describedby=\"error-split-parts\"[^>]*value=\"[^\"]*most[^\"]*\"></label><p class=\"field-error\" id=\"error-split-parts\"", html);
        Assert.Contains("parameter &#39;parts[1].ratio&#39;: expected a number", html);
        Assert.Contains("<option selected>tags</option>", html);
        Assert.Contains("<input name=\"p.seed#\" type=\"number\" value=\"5\">", html);
        Assert.Contains("<input name=\"p.output\" required value=\"my-split\">", html);
        Assert.Contains("<input type=\"checkbox\" name=\"p.stratified?\" value=\"true\"></label>", html);
        // Only the refused form is filled in: the filter form below is as it always is.
        Assert.Contains("<input name=\"p.output\" required value=\"tiny-filter\">", html);
    }

    [Fact]
    public async Task Preview_applies_the_pipeline_to_an_item_and_names_what_is_wrong()
    {
        var item = (await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/items?take=1"))[0];
        var itemId = item.GetProperty("id").GetInt64();
        var original = await server.Http.GetByteArrayAsync($"/api/v1/items/{itemId}/image");

        // A certain horizontal flip: the preview is the original mirrored, pixel for pixel (PNG: lossless).
        var flip = Uri.EscapeDataString("""{"steps":[{"op":"hflip"}]}""");
        using var r = await server.Http.GetAsync($"/api/v1/projects/{server.ProjectId}/augment-preview?item={itemId}&pipeline={flip}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("image/png", r.Content.Headers.ContentType?.MediaType);
        using var src = ImageCodec.Decode(original);
        using var png = ImageCodec.Decode(await r.Content.ReadAsByteArrayAsync());
        Assert.Equal((src.Width, src.Height), (png.Width, png.Height));
        var a = src.Pixels.ToArray();
        var b = png.Pixels.ToArray();
        foreach (var (x, y) in new[] { (0, 0), (17, 5), (src.Width - 1, src.Height - 1), (src.Width / 2, src.Height / 3) })
        {
            Assert.Equal(a[(y * src.Width) + (src.Width - 1 - x)], b[(y * src.Width) + x]);
        }

        // The seed picks the random draws: a different seed, a different picture; the same seed, the same one.
        var noisy = Uri.EscapeDataString("""{"seed":1,"steps":[{"op":"rotate","angle":[-40,40]}]}""");
        var s1 = await server.Http.GetByteArrayAsync($"/api/v1/projects/{server.ProjectId}/augment-preview?item={itemId}&pipeline={noisy}&seed=1");
        var s1Again = await server.Http.GetByteArrayAsync($"/api/v1/projects/{server.ProjectId}/augment-preview?item={itemId}&pipeline={noisy}&seed=1");
        var s2 = await server.Http.GetByteArrayAsync($"/api/v1/projects/{server.ProjectId}/augment-preview?item={itemId}&pipeline={noisy}&seed=2");
        Assert.Equal(s1, s1Again);
        Assert.NotEqual(s1, s2);

        var bad = Uri.EscapeDataString("""{"steps":[{"op":"gaussianBlur","kernel":4}]}""");
        using var refused = await server.Http.GetAsync($"/api/v1/projects/{server.ProjectId}/augment-preview?pipeline={bad}");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("$.steps[0].kernel: blur kernel 4 must be odd", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        using var missing = await server.Http.GetAsync($"/api/v1/projects/999999/augment-preview?pipeline={flip}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public void The_form_offers_every_step_the_pipeline_reads_except_mosaic_with_every_parameter()
    {
        var derived = typeof(AugmentStep).GetCustomAttributes<JsonDerivedTypeAttribute>().ToDictionary(a => (string)a.TypeDiscriminator!, a => a.DerivedType);
        Assert.Equal(derived.Keys.Where(k => k != "mosaic").Order(StringComparer.Ordinal), AugmentCatalog.Ops.Select(o => o.Name).Order(StringComparer.Ordinal));
        foreach (var op in AugmentCatalog.Ops)
        {
            var members = derived[op.Name].GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod is not null && p.Name != nameof(AugmentStep.P))
                .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));
            Assert.Equal(members.Order(StringComparer.Ordinal), op.Params.Select(p => p.Name).Order(StringComparer.Ordinal));
            // Each default is one the pipeline accepts.
            var step = new System.Text.Json.Nodes.JsonObject { ["op"] = op.Name };
            foreach (var p in op.Params)
            {
                step[p.Name] = p.Default.DeepClone();
            }

            _ = AugmentPipeline.FromJson($"{{\"steps\":[{step.ToJsonString()}]}}", op.Name);
        }
    }
}
