using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cairn.Core.Ids;
using Cairn.Core.Model;
using Cairn.Storage;
using Cairn.Storage.Objects;
using Cairn.Storage.Projects;
using Cairn.TestSupport;
using Microsoft.Playwright;

namespace Cairn.Server.Tests;

/// <summary>
/// A team server (sign-in required) over a home whose objects are in a bucket on s3rver (the stand-in, with Signature
/// Version 4 checked in full) with <c>presign=600</c>: tiny-coco imported (its images stored loose, as presigning asks),
/// and project "packed" whose one image was written into a pack.
/// </summary>
public sealed class S3PresignFixture : TeamServerFixture
{
    private readonly S3Server _s3;

    public S3PresignFixture()
    {
        S3Server.UseTestCredentials();
        _s3 = new S3Server();
    }

    /// <summary>The stand-in S3 server.</summary>
    public S3Server S3 => _s3;

    /// <summary>The item whose image is in a pack.</summary>
    public long PackedItem { get; private set; }

    /// <inheritdoc/>
    protected override string? ObjectStore => _s3.Location("presign") + "&presign=600";

    /// <inheritdoc/>
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var store = CairnStore.Open(Home);
        var jpeg = File.ReadAllBytes(Directory.EnumerateFiles(Path.Combine(SharedData.Resolve("tiny-coco"), "val2017"), "*.jpg").Order(StringComparer.Ordinal).First());
        var bytes = jpeg.Concat(new byte[] { 0 }).ToArray(); // other content than every imported image: a JPEG decoder stops at EOI
        PutResult put;
        using (var pack = store.Objects.BeginPack())
        {
            put = pack.Add(bytes);
            pack.Commit();
        }

        var projects = new ProjectService(store);
        var p = projects.CreateWithItems("packed", ProjectMeta.Empty, [new NewItem("all", "one.jpg", put.Id, put.Size, new Annotation(640, 480, [], []))])!;
        PackedItem = projects.Items(p.Id, take: 1)[0].Id;
    }

    /// <inheritdoc/>
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _s3.Dispose();
    }
}

/// <summary>Presigned image URLs (docs/s3.md): the redirect, its signature, the fallbacks, the page policy, a browser.</summary>
public sealed class S3PresignTests(S3PresignFixture server) : IClassFixture<S3PresignFixture>
{
    private async Task<(long Id, ContentId Image)> FirstItemAsync(HttpClient client)
    {
        var items = await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/items?take=1");
        var item = items[0];
        return (item.GetProperty("id").GetInt64(), ContentId.Parse(item.GetProperty("imageId").GetString()!));
    }

    [Fact]
    public async Task Item_image_redirects_a_signed_in_user_to_a_presigned_url_that_the_bucket_serves()
    {
        using var client = await server.SignInAsync("vi");
        var (id, image) = await FirstItemAsync(client);

        using var r = await client.GetAsync($"/api/v1/items/{id}/image");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal("no-store", r.Headers.CacheControl?.ToString());
        var url = r.Headers.Location!;
        Assert.Equal(server.S3.Endpoint, url.GetLeftPart(UriPartial.Authority));
        Assert.Contains("X-Amz-Signature=", url.Query, StringComparison.Ordinal);

        // The bucket serves it to anyone holding the URL (no cookie, no credentials), as an image.
        using var bucket = new HttpClient();
        using var fetched = await bucket.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal("image/jpeg", fetched.Content.Headers.ContentType?.MediaType);
        Assert.Equal(image, ContentId.Of(await fetched.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task A_tampered_presigned_url_is_refused_by_the_bucket()
    {
        using var client = await server.SignInAsync("vi");
        var (id, _) = await FirstItemAsync(client);
        using var r = await client.GetAsync($"/api/v1/items/{id}/image");
        var url = r.Headers.Location!.AbsoluteUri;
        using var bucket = new HttpClient();

        // Another object's key with this URL's signature, a longer lifetime, a changed signature: all refused.
        var items = await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/items?take=2");
        var other = ContentId.Parse(items[1].GetProperty("imageId").GetString()!).ToString();
        var path = new Uri(url).AbsolutePath;
        var otherKey = path[..(path.LastIndexOf('/') - 2)] + other[..2] + "/" + other[2..];
        var expires = System.Text.RegularExpressions.Regex.Match(url, "X-Amz-Expires=([0-9]+)").Groups[1].Value;
        var signature = System.Text.RegularExpressions.Regex.Match(url, "X-Amz-Signature=([0-9a-f]+)").Groups[1].Value;
        string[] tampered =
        [
            url.Replace(path, otherKey, StringComparison.Ordinal),
            url.Replace("X-Amz-Expires=" + expires, "X-Amz-Expires=604800", StringComparison.Ordinal),
            url.Replace(signature, (signature[0] == '0' ? "1" : "0") + signature[1..], StringComparison.Ordinal),
        ];
        foreach (var t in tampered)
        {
            Assert.NotEqual(url, t);
            using var refused = await bucket.GetAsync(t);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("SignatureDoesNotMatch", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Without the signature at all: an anonymous request to a private bucket.
        using var anonymous = await bucket.GetAsync(url[..url.IndexOf('?', StringComparison.Ordinal)]);
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
    }

    [Fact]
    public async Task Cairn_checks_authorization_before_it_redirects()
    {
        using var signedIn = await server.SignInAsync("vi");
        var (id, _) = await FirstItemAsync(signedIn);
        using var anonymous = server.Client();
        using var r = await anonymous.GetAsync($"/api/v1/items/{id}/image");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Null(r.Headers.Location);
    }

    [Fact]
    public async Task Packed_images_and_direct_false_are_served_through_cairn_and_verified()
    {
        using var client = await server.SignInAsync("vi");
        using (var packed = await client.GetAsync($"/api/v1/items/{server.PackedItem}/image"))
        {
            Assert.Equal(HttpStatusCode.OK, packed.StatusCode);
            Assert.Equal("image/jpeg", packed.Content.Headers.ContentType?.MediaType);
        }

        var (id, image) = await FirstItemAsync(client);
        using var direct = await client.GetAsync($"/api/v1/items/{id}/image?direct=false");
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Equal(image, ContentId.Of(await direct.Content.ReadAsByteArrayAsync()));

        using var bad = await client.GetAsync($"/api/v1/items/{id}/image?direct=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("direct", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_allow_images_from_the_bucket_origin_only()
    {
        using var client = await server.SignInAsync("vi");
        using var r = await client.GetAsync("/projects");
        var csp = r.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains($"img-src 'self' data: {server.S3.Endpoint};", csp, StringComparison.Ordinal);
        Assert.Equal(SecurityHeaders.PagePolicyWithImagesFrom(new Uri(server.S3.Endpoint)), csp);
        Assert.Contains("default-src 'self';", csp, StringComparison.Ordinal); // fetch() and scripts stay on this origin
    }

    [Fact]
    public async Task Item_page_shows_its_image_from_the_bucket()
    {
        using var client = await server.SignInAsync("vi");
        var (id, _) = await FirstItemAsync(client);

        using var pw = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1300, Height = 900 } });
        var violations = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                violations.Add(m.Text);
            }
        };
        var failed = new List<string>();
        page.RequestFailed += (_, r) =>
        {
            lock (failed)
            {
                failed.Add($"{r.Url}: {r.Failure}");
            }
        };

        await page.GotoAsync($"{server.BaseUrl}/login");
        await page.FillAsync("#login-form input[name=username]", "vi");
        await page.FillAsync("#login-form input[name=password]", TeamServerFixture.Password);
        await page.ClickAsync("#login-form button");
        await page.WaitForURLAsync(u => !u.Contains("/login", StringComparison.Ordinal));
        var fromBucket = page.WaitForResponseAsync(r => r.Url.StartsWith(server.S3.Endpoint + "/", StringComparison.Ordinal));
        await page.GotoAsync($"{server.BaseUrl}/items/{id}");
        await page.WaitForSelectorAsync("#item-svg image");

        // The SVG's <image> was sent to the bucket (the redirect's target), which served it, and the page's policy let it in.
        var response = await fromBucket;
        Assert.Equal(200, response.Status);
        Assert.Equal("image/jpeg", response.Headers.GetValueOrDefault("content-type"));
        Assert.Contains("X-Amz-Signature=", response.Url, StringComparison.Ordinal);
        Assert.Equal($"{server.BaseUrl}/api/v1/items/{id}/image", response.Request.RedirectedFrom?.Url);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        lock (failed)
        {
            Assert.Empty(failed);
        }

        var drawn = await page.EvaluateAsync<double>("() => document.querySelector('#item-svg image').getBBox().width");
        Assert.True(drawn > 0);
        Assert.DoesNotContain(violations, v => v.Contains("Content Security Policy", StringComparison.Ordinal));
    }
}
