using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cairn.Server.Tests;

public abstract class VersionApiTestsBase(ServerFixture server)
{
    [Fact]
    public async Task Create_list_show_browse_diff_and_restore_a_version()
    {
        var p = server.ProjectId;
        var first = await server.Http.PostAsJsonAsync($"/api/v1/projects/{p}/versions", new { title = "api", author = "test" });
        Assert.True(first.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, first.StatusCode.ToString());
        var created = await first.Content.ReadFromJsonAsync<JsonElement>();
        var n = created.GetProperty("version").GetProperty("number").GetInt32();

        // Nothing changed since: 200 with the same version.
        var again = await server.Http.PostAsJsonAsync($"/api/v1/projects/{p}/versions", new { title = "again" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(n, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetProperty("number").GetInt32());

        var list = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{p}/versions");
        Assert.Contains(list.EnumerateArray(), v => v.GetProperty("number").GetInt32() == n);

        // tiny-coco val2017 holds 50 images (the fixture's import).
        var show = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{p}/versions/{n}");
        Assert.Equal(50, show.GetProperty("version").GetProperty("items").GetInt64());
        Assert.True(show.GetProperty("stats").GetProperty("classes").GetProperty("person").GetProperty("labels").GetInt64() > 0);

        var page = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{p}/versions/{n}/items?skip=10&take=5");
        Assert.Equal(50, page.GetProperty("total").GetInt64());
        var item = page.GetProperty("items")[0];
        Assert.Equal(5, page.GetProperty("items").GetArrayLength());
        var image = await server.Http.GetByteArrayAsync(item.GetProperty("imageUrl").GetString());
        Assert.Equal(item.GetProperty("imageId").GetString(), Core.Ids.ContentId.Of(image).ToString());

        var diff = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{p}/versions/{n}/diff");
        Assert.Equal(0, diff.GetProperty("added").GetInt32() + diff.GetProperty("removed").GetInt32());

        var restore = await server.Http.PostAsJsonAsync($"/api/v1/projects/{p}/versions/{n}/restore", new { name = $"restored-{Guid.NewGuid():N}" });
        Assert.Equal(HttpStatusCode.Created, restore.StatusCode);
        Assert.Equal(50, (await restore.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").GetInt64());
    }

    [Fact]
    public async Task Unknown_version_is_a_404()
    {
        var response = await server.Http.GetAsync($"/api/v1/projects/{server.ProjectId}/versions/9999");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/api/v1/objects/not-an-id")).StatusCode);
    }
}

/// <summary>On the home's SQLite catalog.</summary>
public sealed class VersionApiTests(ServerFixture server) : VersionApiTestsBase(server), IClassFixture<ServerFixture>;

/// <summary>The same requests on a PostgreSQL catalog.</summary>
public sealed class PostgresVersionApiTests(PostgresServerFixture server) : VersionApiTestsBase(server), IClassFixture<PostgresServerFixture>;
