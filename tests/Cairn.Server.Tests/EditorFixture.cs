using System.Text.Json.Nodes;
using Cairn.Storage;
using Cairn.Storage.Projects;
using SkiaSharp;

namespace Cairn.Server.Tests;

/// <summary>
/// The server of <see cref="ServerFixture"/> (tiny-coco as "tiny") plus a project "crowd": one 4,000 × 3,000 JPEG drawn
/// with SkiaSharp and 1,000 boxes on it (a 40 × 25 grid, two classes), for the editor's responsiveness test.
/// </summary>
public sealed class EditorFixture : ServerFixture
{
    /// <summary>The number of boxes on the crowd item.</summary>
    public const int CrowdLabels = 1000;

    /// <summary>The crowd project.</summary>
    public long CrowdProjectId { get; private set; }

    /// <inheritdoc/>
    public override async Task InitializeAsync()
    {
        var source = Path.Combine(Path.GetTempPath(), "cairn-editor-crowd-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(source, "images"));
        Directory.CreateDirectory(Path.Combine(source, "annotations"));
        try
        {
            const int w = 4000, h = 3000;
            using (var bmp = new SKBitmap(w, h))
            using (var canvas = new SKCanvas(bmp))
            using (var paint = new SKPaint { IsAntialias = true })
            {
                canvas.Clear(new SKColor(40, 60, 80));
                var random = new Random(16);
                for (var k = 0; k < 400; k++)
                {
                    paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                    canvas.DrawCircle(random.Next(w), random.Next(h), random.Next(10, 120), paint);
                }

                using var image = SKImage.FromBitmap(bmp);
                using var data = image.Encode(SKEncodedImageFormat.Jpeg, 85);
                await File.WriteAllBytesAsync(Path.Combine(source, "images", "crowd.jpg"), data.ToArray());
            }

            var annotations = new JsonArray();
            for (var k = 0; k < CrowdLabels; k++)
            {
                var x = (k % 40) * 100 + 10;
                var y = (k / 40) * 120 + 10;
                annotations.Add(new JsonObject { ["id"] = k + 1, ["image_id"] = 1, ["category_id"] = (k % 2) + 1, ["bbox"] = new JsonArray(x, y, 80, 90), ["area"] = 7200, ["iscrowd"] = 0 });
            }

            var coco = new JsonObject
            {
                ["images"] = new JsonArray(new JsonObject { ["id"] = 1, ["file_name"] = "images/crowd.jpg", ["width"] = w, ["height"] = h }),
                ["annotations"] = annotations,
                ["categories"] = new JsonArray(new JsonObject { ["id"] = 1, ["name"] = "person" }, new JsonObject { ["id"] = 2, ["name"] = "bicycle" }),
            };
            await File.WriteAllTextAsync(Path.Combine(source, "annotations", "crowd.json"), coco.ToJsonString());
            using (var store = CairnStore.Open(Home))
            {
                CrowdProjectId = new ProjectImporter(store).Import("coco", source, "crowd", new Core.Formats.ImportOptions(Core.Formats.ImportLimits.Default, "annotations/crowd.json")).Project.Id;
            }
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }

        await base.InitializeAsync();
    }
}
