using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cairn.Core.Ids;
using Cairn.Storage;
using Cairn.Storage.Objects;
using Cairn.Storage.Projects;
using Cairn.TestSupport;

namespace Cairn.Server.Tests;

/// <summary>Exceptions no endpoint handles become problem documents that say what to do next (CairnExceptionHandler).</summary>
public sealed class ErrorHandlingTests
{
    [Fact]
    public async Task A_corrupt_image_behind_a_thumbnail_is_a_problem_naming_fsck_not_a_bare_500()
    {
        var home = Path.Combine(Path.GetTempPath(), "cairn-errors-" + Guid.NewGuid().ToString("N"));
        long itemId;
        PackedLocation where;
        using (var store = CairnStore.Open(home))
        {
            var result = new ProjectImporter(store).Import("coco", SharedData.Resolve("tiny-coco"), "tiny",
                new Core.Formats.ImportOptions(Core.Formats.ImportLimits.Default, "annotations/instances_val2017.json"));
            var item = new ProjectService(store).StreamItems(result.Project.Id).First().Item;
            itemId = item.Id;
            // Imports pack their images.
            Assert.True(((Cairn.Storage.Objects.LocalObjectStore)store.Objects).TryLocatePacked(ContentId.FromBytes(item.ImageId), out where));
        }

        // Flip one byte of the stored image, inside its pack.
        using (var f = new FileStream(where.Pack, FileMode.Open, FileAccess.ReadWrite))
        {
            f.Position = where.Offset + (where.Length / 2);
            var b = f.ReadByte();
            f.Position--;
            f.WriteByte((byte)(b ^ 0x40));
        }

        var (app, baseUrl) = await TestServer.StartAsync(home);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            var r = await http.GetAsync($"/api/v1/items/{itemId}/thumb");
            Assert.Equal(HttpStatusCode.InternalServerError, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            var problem = await r.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Corrupt object", problem.GetProperty("title").GetString());
            Assert.Contains("cairn fsck", problem.GetProperty("detail").GetString());
            Assert.DoesNotContain("An error occurred", await r.Content.ReadAsStringAsync());
        }
        finally
        {
            await TestServer.StopAsync(app, home);
        }
    }

    [Fact]
    public async Task A_stored_image_whose_header_passes_the_pixel_limit_gets_a_422_thumbnail_problem_not_an_allocation()
    {
        // Imports refuse such an image now; one stored before that (or by another way in) must not cost 14 GB to show.
        var home = Path.Combine(Path.GetTempPath(), "cairn-errors-" + Guid.NewGuid().ToString("N"));
        long itemId;
        using (var store = CairnStore.Open(home))
        {
            var put = store.Objects.Put(CraftedPng.HeaderOnly(60_000, 60_000));
            var projects = new ProjectService(store);
            var project = projects.CreateWithItems("p", new Core.Model.ProjectMeta([], []), [new NewItem("ds0", "huge.png", put.Id, put.Size, new Core.Model.Annotation(64, 64, [], []))])!;
            itemId = projects.StreamItems(project.Id).Single().Item.Id;
        }

        var (app, baseUrl) = await TestServer.StartAsync(home);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            var r = await http.GetAsync($"/api/v1/items/{itemId}/thumb");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
            var problem = await r.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Image cannot be decoded", problem.GetProperty("title").GetString());
            Assert.Contains($"item {itemId}: the image header says 60000×60000 = 3600000000 pixels", problem.GetProperty("detail").GetString());
            Assert.False(r.Headers.Contains("ETag"));
        }
        finally
        {
            await TestServer.StopAsync(app, home);
        }
    }
}
