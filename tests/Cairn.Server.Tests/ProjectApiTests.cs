using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cairn.Server.Tests;

public abstract class ProjectApiTestsBase(ServerFixture server)
{
    [Fact]
    public async Task A_class_is_added_once_with_its_shape_and_colour_and_bad_fields_are_named()
    {
        var url = $"/api/v1/projects/{server.ProjectId}/classes";
        var name = "added-" + Guid.NewGuid().ToString("N")[..8];
        using (var r = await server.Http.PostAsJsonAsync(url, new { name, shape = "polygon", color = "#12AB34" }))
        {
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            var c = await r.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(name, c.GetProperty("name").GetString());
            Assert.Equal("polygon", c.GetProperty("shape").GetString());
            Assert.Equal("#12ab34", c.GetProperty("color").GetString());
        }

        var project = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}");
        Assert.Equal(name, project.GetProperty("classes").EnumerateArray().Last().GetProperty("name").GetString());

        foreach (var (body, status, field) in new (object Body, int Status, string Field)[]
        {
            (new { name }, 409, "name"),
            (new { name = "  " }, 400, "name"),
            (new { name = "x" + name, shape = "hexagon" }, 400, "shape"),
            (new { name = "x" + name, color = "red" }, 400, "color"),
            (new[] { 1 }, 400, "$"),
        })
        {
            using var r = await server.Http.PostAsJsonAsync(url, body);
            var problem = await r.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(status, (int)r.StatusCode);
            Assert.Equal(field, problem.GetProperty("field").GetString());
            Assert.Contains("expected", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using (var r = await server.Http.PostAsJsonAsync("/api/v1/projects/999999/classes", new { name }))
        {
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        }
    }

    [Fact]
    public async Task The_item_page_links_the_previous_and_next_items_of_its_dataset()
    {
        var items = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/items?take=3");
        var ids = items.EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
        var first = await server.Http.GetStringAsync($"/items/{ids[0]}");
        Assert.DoesNotContain("id=\"item-prev\"", first, StringComparison.Ordinal);
        Assert.Contains($"id=\"item-next\" href=\"/items/{ids[1]}\"", first, StringComparison.Ordinal);
        var middle = await server.Http.GetStringAsync($"/items/{ids[1]}?edit=true");
        Assert.Contains($"id=\"item-prev\" href=\"/items/{ids[0]}?edit=true\"", middle, StringComparison.Ordinal);
        Assert.Contains($"id=\"item-next\" href=\"/items/{ids[2]}?edit=true\"", middle, StringComparison.Ordinal);
        Assert.Contains("id=\"ed-save\"", middle, StringComparison.Ordinal);

        using var missing = await server.Http.GetAsync($"/projects/{server.ProjectId}/versions/diff/item?a=1&b=working");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("dataset and name", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_page_of_the_project_answers_with_its_content()
    {
        var project = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}");
        var dataset = project.GetProperty("datasets")[0].GetProperty("id").GetInt64();
        var items = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/items?take=1");
        var item = items[0].GetProperty("id").GetInt64();
        var created = await server.Http.PostAsJsonAsync($"/api/v1/projects/{server.ProjectId}/versions", new { title = "pages" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var number = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetProperty("number").GetInt32();

        (string Path, string Expected)[] pages =
        [
            ("/projects", "tiny"),
            ($"/projects/{server.ProjectId}", "person"),
            ($"/projects/{server.ProjectId}/datasets/{dataset}", "<img"),
            ($"/items/{item}", "<svg"),
            ($"/projects/{server.ProjectId}/versions", "pages"),
            ($"/projects/{server.ProjectId}/versions/{number}", "person"),
            ($"/projects/{server.ProjectId}/versions/{number}/items/0", "<svg"),
            ($"/projects/{server.ProjectId}/versions/diff?a={number}&b=working", "working state"),
            ("/graph", "graph"),
            ("/tasks", "Tasks"),
        ];
        foreach (var (path, expected) in pages)
        {
            using var response = await server.Http.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html[..Math.Min(300, html.Length)]}");
            Assert.Contains(expected, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Projects_list_shows_the_imported_project_with_counts()
    {
        var projects = await server.Http.GetFromJsonAsync<JsonElement>("/api/v1/projects");
        var tiny = projects.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "tiny");
        Assert.Equal(50, tiny.GetProperty("items").GetInt32());
        Assert.True(tiny.GetProperty("labels").GetInt32() > 300, "tiny-coco val2017 has several hundred instances");
    }

    [Fact]
    public async Task Project_detail_lists_classes_with_counts_and_datasets()
    {
        var detail = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}");
        var person = detail.GetProperty("classes").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "person");
        Assert.True(person.GetProperty("labels").GetInt32() > 0);
        Assert.Contains(detail.GetProperty("datasets").EnumerateArray(), d => d.GetProperty("path").GetString() == "val2017");
    }

    [Fact]
    public async Task Unknown_project_is_a_problem_details_404()
    {
        var response = await server.Http.GetAsync("/api/v1/projects/999999");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("999999", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Item_image_is_served_with_its_content_id_as_etag()
    {
        var items = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/items?take=1");
        var item = items[0];
        var response = await server.Http.GetAsync(item.GetProperty("imageUrl").GetString());
        response.EnsureSuccessStatusCode();
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"\"{item.GetProperty("imageId").GetString()}\"", response.Headers.ETag?.Tag);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(item.GetProperty("imageId").GetString(), Core.Ids.ContentId.Of(bytes).ToString());
    }

    [Fact]
    public async Task Annotation_update_refuses_what_the_project_cannot_hold_naming_the_field_and_changes_nothing()
    {
        var item = (await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/items?take=1"))[0];
        var url = $"/api/v1/items/{item.GetProperty("id").GetInt64()}";
        var before = (await server.Http.GetFromJsonAsync<JsonElement>(url)).GetProperty("annotation");
        var (w, h) = (item.GetProperty("width").GetInt32(), item.GetProperty("height").GetInt32());
        string Doc(string labels) => $"{{\"w\":{w},\"h\":{h},\"labels\":[{labels}]}}";
        const string Person = "{\"class\":\"person\",\"type\":\"rectangle\",\"box\":[1,2,30,40]}";

        (string Body, int Status, string Field, string Expected)[] refused =
        [
            (Doc(Person + ",{\"class\":\"unicorn\",\"type\":\"rectangle\",\"box\":[1,2,3,4]}"), 422, "labels[1].class", "one of the project's classes (person"),
            ($"{{\"w\":{w},\"h\":{h}}}", 400, "labels", "an array of labels"),
            ($"{{\"w\":{w + 1},\"h\":{h},\"labels\":[]}}", 400, "w", $"the image's width in pixels, {w}"),
            (Doc("{\"class\":\"person\",\"box\":[1,2,3,4]}"), 400, "labels[0].type", "one of rectangle, polygon"),
            (Doc("{\"class\":\"person\",\"type\":\"rectangle\",\"box\":[1,\"2\",3,4]}"), 400, "labels[0].box", "four numbers"),
            (Doc("{\"class\":\"person\",\"type\":\"polygon\",\"exterior\":[1,2,3,4]}"), 400, "labels[0].exterior", "at least 3 points"),
            (Doc("{\"class\":\"person\",\"type\":\"polygon\",\"exterior\":[1,2,3,4,5,6],\"interiors\":[[1,2]]}"), 400, "labels[0].interiors[0]", "at least 3 points"),
            (Doc("{\"class\":\"person\",\"type\":\"point\",\"xy\":[1,2],\"conf\":2}"), 400, "labels[0].conf", "from 0 to 1"),
            ("[]", 400, "$", "a JSON object"),
            ("{\"w\":", 400, "$", "not valid JSON"),
        ];
        foreach (var (body, status, field, expected) in refused)
        {
            using var response = await server.Http.PutAsync(url + "/annotation", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == status, $"{body}: {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.True(problem.TryGetProperty("field", out var named), text);
            Assert.Equal(field, named.GetString());
            Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("dictionary", text, StringComparison.Ordinal);
            Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        }

        var after = (await server.Http.GetFromJsonAsync<JsonElement>(url)).GetProperty("annotation");
        Assert.Equal(before.GetRawText(), after.GetRawText());

        // The document as stored is accepted back unchanged.
        using var same = await server.Http.PutAsync(url + "/annotation", new StringContent(before.GetRawText(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, same.StatusCode);
    }

    [Fact]
    public async Task A_body_of_the_wrong_type_is_a_problem_naming_its_field_not_dotnet_text()
    {
        using var response = await server.Http.PostAsync("/api/v1/tasks", new StringContent("{\"kind\":\"generate\",\"parameters\":{},\"title\":7}", System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.True(problem.TryGetProperty("field", out var named), text);
        Assert.Equal("$.title", named.GetString());
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Failed to read parameter", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_project_endpoints()
    {
        var doc = await server.Http.GetFromJsonAsync<JsonElement>("/api/v1/openapi.json");
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/v1/projects", out _));
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/v1/items/{id}", out _));
    }
}

/// <summary>On the home's SQLite catalog.</summary>
public sealed class ProjectApiTests(ServerFixture server) : ProjectApiTestsBase(server), IClassFixture<ServerFixture>;

/// <summary>The same requests on a PostgreSQL catalog.</summary>
public sealed class PostgresProjectApiTests(PostgresServerFixture server) : ProjectApiTestsBase(server), IClassFixture<PostgresServerFixture>;
