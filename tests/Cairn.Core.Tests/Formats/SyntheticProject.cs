using Cairn.Core.Formats;
using Cairn.Core.Model;

namespace Cairn.Core.Tests.Formats;

/// <summary>
/// A small project with every label kind, image and label tags, two datasets and real PNG files, written to a folder.
/// Coordinates are chosen by hand; nothing here is computed by the code under test.
/// </summary>
public sealed class SyntheticProject : IDisposable
{
    public const int Width = 64;
    public const int Height = 48;

    private readonly TempDir _dir = new();

    public SyntheticProject()
    {
        Meta = new ProjectMeta(
            [
                new ObjClass("car", GeometryKind.Rectangle, "#FF0000"),
                new ObjClass("road", GeometryKind.Polygon, "#00FF00"),
                new ObjClass("blob", GeometryKind.Mask, "#0000FF"),
                new ObjClass("pin", GeometryKind.Point, "#FFFF00"),
                new ObjClass("lane", GeometryKind.Polyline, "#00FFFF"),
                new ObjClass("person", GeometryKind.Keypoints, "#FF00FF", new KeypointTemplate(["head", "hand", "foot"], [new KeypointEdge(0, 1), new KeypointEdge(1, 2)])),
            ],
            [new TagMeta("weather", TagValueType.AnyString), new TagMeta("difficult", TagValueType.None)]);
        var items = new List<ExportItem>();
        var names = new[] { ("train", "a.png"), ("train", "b.png"), ("val", "c.png"), ("val", "d.png") };
        for (var i = 0; i < names.Length; i++)
        {
            var (dataset, name) = names[i];
            var path = _dir.Write($"{dataset}/{name}", TestImages.Png(Width, Height, (byte)(40 + (i * 30))));
            items.Add(new ExportItem(dataset, name, () => File.OpenRead(path), Annotation(i)));
        }

        Items = items;
    }

    public ProjectMeta Meta { get; }

    public IReadOnlyList<ExportItem> Items { get; }

    public void Dispose() => _dir.Dispose();

    private static Annotation Annotation(int i)
    {
        var o = i * 2; // shift shapes per image so items differ
        var mask = new byte[Width * Height];
        for (var x = 10 + o; x < 20 + o; x++)
        {
            for (var y = 5; y < 12; y++)
            {
                mask[(x * Height) + y] = 1;
            }
        }

        return new Annotation(Width, Height, i == 0 ? [new Tag("weather", "sunny")] : [], [
            new Label("car", new RectangleGeometry(new BoxD(2 + o, 3, 20 + o, 15)), i == 1 ? [new Tag("difficult")] : []),
            new Label("road", new PolygonGeometry([new(30, 20), new(60, 20), new(60, 40), new(30, 40)])),
            new Label("road", new PolygonGeometry([new(1, 30), new(25, 30), new(25, 46), new(1, 46)], [new PointD[] { new(5, 34), new(10, 34), new(10, 40), new(5, 40) }])),
            new Label("blob", new MaskGeometry(Cairn.Core.Masks.Rle.Encode(mask, Height, Width))),
            new Label("pin", new PointGeometry(new PointD(7 + o, 8))),
            new Label("lane", new PolylineGeometry([new(0, 47), new(32, 24), new(63, 0)])),
            new Label("person", new KeypointsGeometry([new(40 + o, 5, 2), new(44, 12, 1), new(0, 0, 0)])),
        ]);
    }
}
