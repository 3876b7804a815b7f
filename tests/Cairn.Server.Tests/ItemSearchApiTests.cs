using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Server.Tests;

/// <summary>
/// GET /api/v1/projects/{id}/items with filters, checked against what the items' own annotation documents say (read
/// one by one through GET /items/{id}), on the SQLite catalog and on PostgreSQL.
/// </summary>
public abstract class ItemSearchApiTestsBase(ServerFixture server)
{
    private sealed record Item(long Id, string Name, int Width, int Height, int Labels, HashSet<string> Classes, HashSet<string> Tags);

    // A tag name with LIKE wildcards, a quote and non-ASCII: it must match as text, not as a pattern.
    private const string OddTag = "50%_off \"é\"";

    [Fact]
    public async Task Each_filter_and_a_combination_return_exactly_the_matching_items_with_paging()
    {
        var all = await TaggedItemsAsync();
        var ordered = all.OrderBy(i => i.Name, StringComparer.Ordinal).ToList(); // one dataset: name order is the API's order
        var byLabels = all.Select(i => i.Labels).Order().ToList();
        var medianLabels = byLabels[byLabels.Count / 2];
        var medianWidth = all.Select(i => i.Width).Order().ToList()[all.Count / 2];
        var medianHeight = all.Select(i => i.Height).Order().ToList()[all.Count / 2];
        var second = all.SelectMany(i => i.Classes).Where(c => c != "person").GroupBy(c => c).OrderByDescending(g => g.Count()).First().Key;
        var someName = ordered[7].Name;
        var fragment = someName[^6..].ToUpperInvariant(); // e.g. "39.JPG" from 000000000139.jpg: upper case, as a user may type it
        var dataset = (await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}")).GetProperty("datasets")[0].GetProperty("id").GetInt64();

        var cases = new (string Query, Func<Item, bool> Expected)[]
        {
            ("class=person", i => i.Classes.Contains("person")),
            ($"class=person&class={Uri.EscapeDataString(second)}", i => i.Classes.Contains("person") && i.Classes.Contains(second)),
            ("tag=reviewed", i => i.Tags.Contains("reviewed")),
            ("tag=occluded", i => i.Tags.Contains("occluded")),
            ($"tag={Uri.EscapeDataString(OddTag)}", i => i.Tags.Contains(OddTag)),
            ($"name={Uri.EscapeDataString(fragment.ToLowerInvariant())}", i => i.Name.Contains(fragment.ToLowerInvariant(), StringComparison.OrdinalIgnoreCase)),
            ($"name={Uri.EscapeDataString(fragment)}&name=", i => i.Name.Contains(fragment, StringComparison.OrdinalIgnoreCase)),
            ($"dataset={dataset}", _ => true),
            ($"minLabels={medianLabels}", i => i.Labels >= medianLabels),
            ($"maxLabels={medianLabels}", i => i.Labels <= medianLabels),
            ("minLabels=0&maxLabels=0", i => i.Labels == 0),
            ($"minWidth={medianWidth}", i => i.Width >= medianWidth),
            ($"maxWidth={medianWidth - 1}", i => i.Width < medianWidth),
            ($"minHeight={medianHeight}&maxHeight={medianHeight}", i => i.Height == medianHeight),
            ($"maxHeight={medianHeight}", i => i.Height <= medianHeight),
            ($"class=person&minLabels=3&maxWidth={medianWidth}&dataset={dataset}&minHeight=1", i => i.Classes.Contains("person") && i.Labels >= 3 && i.Width <= medianWidth),
        };
        foreach (var (query, expected) in cases)
        {
            var want = ordered.Where(expected).Select(i => i.Id).ToList();
            var (got, total) = await SearchAsync(query + "&take=1000");
            Assert.True(want.SequenceEqual(got), $"{query}: expected {want.Count} items [{string.Join(",", want)}], got {got.Count} [{string.Join(",", got)}]");
            Assert.Equal(want.Count, total);
        }

        // The filters exclude something: the oracle above could not pass by returning everything.
        Assert.InRange(ordered.Count(i => i.Classes.Contains("person") && i.Labels >= 3 && i.Width <= medianWidth), 1, ordered.Count - 1);

        // Paging walks the filtered result in order, and the total stays the number of matches.
        var combined = $"class=person&minLabels=2";
        var full = (await SearchAsync(combined + "&take=1000")).Ids;
        Assert.True(full.Count > 6, $"expected more than 6 items with a person and 2+ labels, got {full.Count}");
        var paged = new List<long>();
        for (var skip = 0; skip < full.Count; skip += 4)
        {
            var (page, total) = await SearchAsync($"{combined}&skip={skip}&take=4");
            Assert.Equal(full.Count, total);
            paged.AddRange(page);
        }

        Assert.Equal(full, paged);
    }

    [Fact]
    public async Task Bad_filter_values_are_problems_naming_the_parameter_and_what_was_expected()
    {
        (string Query, string Field, string Expected)[] cases =
        [
            ("minLabels=abc", "minLabels", "whole number"),
            ("maxWidth=-5", "maxWidth", "whole number"),
            ("minHeight=1.5", "minHeight", "whole number"),
            ("minLabels=5&maxLabels=2", "minLabels", "at most maxLabels (2)"),
            ("minWidth=900&maxWidth=10", "minWidth", "at most maxWidth (10)"),
            ("class=unicorn", "class", "one of the project's classes"),
            ("dataset=999999", "dataset", "the id of one of the project's datasets"),
            ("dataset=val2017", "dataset", "the id of one of the project's datasets"),
            ("clas=person", "clas", "a known parameter"),
            ("skip=x", "skip", "whole number"),
            ("take=99999999999", "take", "whole number"),
            ($"name={new string('a', 300)}", "name", "at most 256 characters"),
        ];
        foreach (var (query, field, expected) in cases)
        {
            using var response = await server.Http.GetAsync($"/api/v1/projects/{server.ProjectId}/items?{query}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.Equal(field, problem.GetProperty("field").GetString());
            Assert.Contains(expected, problem.GetProperty("expected").GetString(), StringComparison.Ordinal);
            Assert.StartsWith(field + ": expected", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // The gallery says the same on its page, with the form still there to correct it.
        using var page = await server.Http.GetAsync($"/projects/{server.ProjectId}/items?minLabels=abc");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("minLabels: expected a whole number", html, StringComparison.Ordinal);
        Assert.Contains("id=\"filter\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_is_searched_with_the_same_filters_and_gives_each_match_its_index()
    {
        var created = await server.Http.PostAsJsonAsync($"/api/v1/projects/{server.ProjectId}/versions", new { title = "search" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var number = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetProperty("number").GetInt32();
        var everything = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/versions/{number}/items?take=1000");
        var items = everything.GetProperty("items").EnumerateArray().ToList();
        var want = items.Where(i => i.GetProperty("labels").GetInt32() >= 5 && i.GetProperty("annotation").GetProperty("labels").EnumerateArray().Any(l => l.GetProperty("class").GetString() == "person")).ToList();
        Assert.InRange(want.Count, 1, items.Count - 1);

        var found = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/versions/{number}/items?class=person&minLabels=5&dataset=val2017&skip=1&take=2");
        Assert.Equal(want.Count, found.GetProperty("total").GetInt64());
        var page = found.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(want.Skip(1).Take(2).Select(i => i.GetProperty("name").GetString()), page.Select(i => i.GetProperty("name").GetString()));
        foreach (var i in page)
        {
            // The index is the item's position in the whole version: its read-only page.
            Assert.Equal(i.GetProperty("name").GetString(), items[(int)i.GetProperty("index").GetInt64()].GetProperty("name").GetString());
        }

        using var bad = await server.Http.GetAsync($"/api/v1/projects/{server.ProjectId}/versions/{number}/items?dataset=nope");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("dataset", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    private async Task<(List<long> Ids, int Total)> SearchAsync(string query)
    {
        using var response = await server.Http.GetAsync($"/api/v1/projects/{server.ProjectId}/items?{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{query}: {(int)response.StatusCode} {body}");
        var total = int.Parse(response.Headers.GetValues("X-Total-Count").Single(), System.Globalization.CultureInfo.InvariantCulture);
        return (JsonDocument.Parse(body).RootElement.EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList(), total);
    }

    // Every item with its annotation; first, three items get tags: an image tag, a label tag, and one with wildcards.
    private async Task<List<Item>> TaggedItemsAsync()
    {
        var list = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{server.ProjectId}/items?take=1000");
        var ids = list.EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(50, ids.Count);
        var labelled = list.EnumerateArray().Select((i, k) => (i, k)).Where(x => x.i.GetProperty("labelCount").GetInt32() > 0).Select(x => x.k).ToList();
        var edits = new (int Index, string Tag, bool OnLabel)[] { (3, "reviewed", false), (11, "reviewed", false), (labelled[5], "occluded", true), (20, OddTag, false) };
        foreach (var (index, tag, onLabel) in edits)
        {
            var detail = await server.Http.GetFromJsonAsync<JsonObject>($"/api/v1/items/{ids[index]}");
            var ann = detail!["annotation"]!.AsObject();
            var target = onLabel ? ann["labels"]!.AsArray()[0]!.AsObject() : ann;
            var tags = target["tags"]?.AsArray() ?? [];
            tags.Add(new JsonArray(tag));
            target["tags"] = tags.DeepClone();
            using var put = await server.Http.PutAsync($"/api/v1/items/{ids[index]}/annotation", new StringContent(ann.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            Assert.True(put.IsSuccessStatusCode, $"tagging item {ids[index]}: {await put.Content.ReadAsStringAsync()}");
        }

        var items = new List<Item>();
        foreach (var id in ids)
        {
            var detail = await server.Http.GetFromJsonAsync<JsonElement>($"/api/v1/items/{id}");
            var ann = detail.GetProperty("annotation");
            var labels = ann.GetProperty("labels").EnumerateArray().ToList();
            var tags = new HashSet<string>(StringComparer.Ordinal);
            foreach (var holder in labels.Prepend(ann))
            {
                if (holder.TryGetProperty("tags", out var t))
                {
                    tags.UnionWith(t.EnumerateArray().Select(x => x[0].GetString()!));
                }
            }

            items.Add(new Item(
                id,
                detail.GetProperty("item").GetProperty("name").GetString()!,
                ann.GetProperty("w").GetInt32(),
                ann.GetProperty("h").GetInt32(),
                labels.Count,
                [.. labels.Select(l => l.GetProperty("class").GetString()!)],
                tags));
        }

        return items;
    }
}

public sealed class ItemSearchApiTests(ServerFixture server) : ItemSearchApiTestsBase(server), IClassFixture<ServerFixture>;

/// <summary>The same searches on a PostgreSQL catalog.</summary>
public sealed class PostgresItemSearchApiTests(PostgresServerFixture server) : ItemSearchApiTestsBase(server), IClassFixture<PostgresServerFixture>;
