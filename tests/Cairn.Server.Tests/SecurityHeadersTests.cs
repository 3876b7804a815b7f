using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests;

/// <summary>The headers every response carries, the policies of user bytes and reports, and X-Forwarded-* only when asked.</summary>
public sealed class SecurityHeadersTests(HostileWorkspaceFixture w) : IClassFixture<HostileWorkspaceFixture>
{
    [Theory]
    [InlineData("/projects")]
    [InlineData("/tasks")]
    [InlineData("/static/cairn.css")]
    [InlineData("/api/v1/projects")]
    [InlineData("/api/v1/projects/987654")] // a problem (404)
    [InlineData("/no/such/page")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var r = await w.Http.GetAsync(path);
        Assert.Equal(SecurityHeaders.PagePolicy, Header(r, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(r, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(r, "Referrer-Policy"));
        Assert.Equal("DENY", Header(r, "X-Frame-Options"));
    }

    [Fact]
    public void The_page_policy_allows_no_inline_script_or_style_and_no_framing()
    {
        var directives = SecurityHeaders.PagePolicy.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Equal("script-src 'self'", directives["script-src"]);
        Assert.Equal("style-src 'self'", directives["style-src"]);
        Assert.Equal("object-src 'none'", directives["object-src"]);
        Assert.Equal("base-uri 'self'", directives["base-uri"]);
        Assert.Equal("form-action 'self'", directives["form-action"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        Assert.DoesNotContain("unsafe", SecurityHeaders.PagePolicy, StringComparison.Ordinal);
        // The graph page adds WebAssembly compilation only.
        Assert.Equal(SecurityHeaders.PagePolicy, SecurityHeaders.GraphPagePolicy.Replace(" 'wasm-unsafe-eval'", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_graph_page_alone_may_compile_webassembly()
    {
        using var r = await w.Http.GetAsync("/graph");
        Assert.Equal(SecurityHeaders.GraphPagePolicy, Header(r, "Content-Security-Policy"));
        Assert.Equal("DENY", Header(r, "X-Frame-Options"));
    }

    [Fact]
    public async Task Stored_bytes_are_sandboxed_and_a_non_image_is_a_download()
    {
        using var image = await w.Http.GetAsync($"/api/v1/items/{w.ItemId}/image");
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(SecurityHeaders.UserContentPolicy, Header(image, "Content-Security-Policy"));
        Assert.Contains("sandbox", Header(image, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Null(image.Content.Headers.ContentDisposition);
        Assert.Equal("nosniff", Header(image, "X-Content-Type-Options"));

        using var thumb = await w.Http.GetAsync($"/api/v1/items/{w.ItemId}/thumb");
        Assert.Equal(SecurityHeaders.UserContentPolicy, Header(thumb, "Content-Security-Policy"));

        // An HTML page a task stored: served as bytes to download, sandboxed should a browser render it anyway.
        using var file = await w.Http.GetAsync($"/api/v1/files/{w.FileId}/content");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/octet-stream", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Contains("sandbox", Header(file, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Contains("<script>", await file.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_are_sandboxed_and_framed_only_by_cairn()
    {
        using var r = await w.Http.GetAsync($"/api/v1/evaluations/{w.EvaluationId}/report");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal(SecurityHeaders.ReportPolicy, Header(r, "Content-Security-Policy"));
        Assert.Equal("SAMEORIGIN", Header(r, "X-Frame-Options"));
        Assert.DoesNotContain("script", SecurityHeaders.ReportPolicy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "http 127.0.0.1")]
    [InlineData(true, "https 203.0.113.9")]
    public async Task Forwarded_headers_count_only_behind_a_proxy(bool behindProxy, string expected)
    {
        var home = Path.Combine(Path.GetTempPath(), "cairn-proxy-tests-" + Guid.NewGuid().ToString("N"));
        var app = CairnServer.Build(new CairnServerOptions { Home = home, Urls = "http://127.0.0.1:0", BehindProxy = behindProxy, RunJobs = false });
        app.MapGet("/test/client", (HttpContext c) => $"{c.Request.Scheme} {c.Connection.RemoteIpAddress}");
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/test/client");
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");
            request.Headers.Add("X-Forwarded-Proto", "https");
            using var r = await http.SendAsync(request);
            Assert.Equal(expected, await r.Content.ReadAsStringAsync());
        }
        finally
        {
            await TestServer.StopAsync(app, home);
        }
    }

    private static string Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var v) ? string.Join(", ", v) : r.Content.Headers.TryGetValues(name, out var c) ? string.Join(", ", c) : $"(no {name})";
}
