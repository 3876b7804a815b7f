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
            Assert.True(store.Objects.TryLocatePacked(ContentId.FromBytes(item.ImageId), out where));
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
}
