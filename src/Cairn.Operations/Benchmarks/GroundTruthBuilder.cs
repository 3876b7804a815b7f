using Cairn.Core.Model;
using Cairn.Evaluation.Coco;

namespace Cairn.Operations.Benchmarks;

/// <summary>
/// Turns a version's items into COCO ground truth: images numbered in version order, categories in the model's class order
/// (id = class index + 1) followed by classes the model does not know, boxes from each label's geometry, areas from the shape
/// (polygon or mask area, box area for rectangles), "iscrowd" tags honoured.
/// </summary>
public sealed class GroundTruthBuilder
{
    private readonly List<CocoImage> _images = [];
    private readonly List<CocoAnnotation> _annotations = [];
    private readonly Dictionary<string, long> _categoryIds = new(StringComparer.Ordinal);
    private readonly List<CocoCategory> _categories = [];

    /// <summary>Starts with the model's classes as categories 1..C.</summary>
    public GroundTruthBuilder(IReadOnlyList<string> modelClasses)
    {
        foreach (var c in modelClasses)
        {
            CategoryId(c);
        }
    }

    /// <summary>The category id of a class name (new classes get the next id).</summary>
    public long CategoryId(string name)
    {
        if (!_categoryIds.TryGetValue(name, out var id))
        {
            id = _categories.Count + 1;
            _categoryIds[name] = id;
            _categories.Add(new CocoCategory(id, name));
        }

        return id;
    }

    /// <summary>Adds one image and its labels; returns the image id.</summary>
    public long Add(string fileName, Annotation annotation, IouType iouType)
    {
        var imageId = _images.Count + 1;
        _images.Add(new CocoImage(imageId, annotation.Width, annotation.Height, fileName));
        foreach (var label in annotation.Labels)
        {
            if (label.Geometry is PointGeometry or PolylineGeometry or KeypointsGeometry)
            {
                continue;
            }

            var b = label.Geometry.Bounds();
            var crowd = label.Tags.Any(t => t.Name == "iscrowd" && t.Value is "1" or "true");
            CocoSegmentation? segmentation = label.Geometry switch
            {
                PolygonGeometry p when iouType == IouType.Segm => CocoSegmentation.FromPolygons([p.Exterior.SelectMany(q => new[] { q.X, q.Y }).ToArray()]),
                MaskGeometry m when iouType == IouType.Segm => CocoSegmentation.FromMask(m.Rle),
                RectangleGeometry r when iouType == IouType.Segm => CocoSegmentation.FromPolygons([[r.Box.Left, r.Box.Top, r.Box.Right, r.Box.Top, r.Box.Right, r.Box.Bottom, r.Box.Left, r.Box.Bottom]]),
                _ => null,
            };
            _annotations.Add(new CocoAnnotation(_annotations.Count + 1, imageId, CategoryId(label.ClassName), new CocoBox(b.Left, b.Top, b.Width, b.Height), label.Geometry.Area(), crowd, segmentation));
        }

        return imageId;
    }

    /// <summary>Number of images added.</summary>
    public int Images => _images.Count;

    /// <summary>The finished ground truth.</summary>
    public CocoDataset Build(string source) => CocoDataset.Create(_images, _categories, _annotations, source);
}
