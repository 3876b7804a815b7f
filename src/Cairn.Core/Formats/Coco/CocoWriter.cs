using System.Globalization;
using System.Text.Json;
using Cairn.Core.Formats.Internal;
using Cairn.Core.Masks;
using Cairn.Core.Model;

namespace Cairn.Core.Formats.Coco;

/// <summary>
/// Writes one COCO instances file per dataset (<c>annotations/instances_&lt;dataset&gt;.json</c>) and the images under
/// <c>&lt;dataset&gt;/</c>. Annotations are buffered per dataset so that ids kept in <see cref="CocoTags.AnnotationId"/>
/// tags can be reserved before new ids are handed out.
/// </summary>
internal sealed class CocoWriter
{
    private readonly ProjectMeta _meta;
    private readonly string _outDir;
    private readonly ExportOptions _options;
    private readonly ReportBuilder _report = new();
    private readonly Dictionary<string, int> _categoryIds = new(StringComparer.Ordinal);
    private readonly List<ObjClass> _categories = [];
    private readonly Dictionary<string, DatasetFile> _datasets = new(StringComparer.Ordinal);
    private readonly List<DatasetFile> _datasetOrder = [];
    private readonly HashSet<long> _reservedIds = [];

    private CocoWriter(ProjectMeta meta, string outDir, ExportOptions options)
    {
        _meta = meta;
        _outDir = outDir;
        _options = options;
        foreach (var c in meta.Classes)
        {
            Category(c.Name);
        }
    }

    public static ExportReport Write(ProjectMeta meta, IEnumerable<ExportItem> items, string outDir, ExportOptions options, CancellationToken ct)
    {
        var writer = new CocoWriter(meta, Path.GetFullPath(outDir), options);
        Directory.CreateDirectory(Path.Combine(writer._outDir, "annotations"));
        foreach (var item in items)
        {
            ct.ThrowIfCancellationRequested();
            writer.Add(item);
        }

        writer.Flush(ct);
        return writer._report.Build();
    }

    private int Category(string name)
    {
        if (!_categoryIds.TryGetValue(name, out var id))
        {
            var cls = _meta.FindClass(name) ?? new ObjClass(name, GeometryKind.Any, Palette.Color(_categories.Count));
            _categories.Add(cls);
            id = _categories.Count;
            _categoryIds.Add(name, id);
        }

        return id;
    }

    private void Add(ExportItem item)
    {
        DatasetNames.CheckForExport(item.Dataset, item.Name);
        if (!_datasets.TryGetValue(item.Dataset, out var ds))
        {
            ds = new DatasetFile(item.Dataset);
            _datasets.Add(item.Dataset, ds);
            _datasetOrder.Add(ds);
        }

        var a = item.Annotation;
        var imageId = ds.Images.Count + 1;
        var fileName = item.Dataset.Contains('/') ? item.Dataset + "/" + item.Name : item.Name;
        ds.Images.Add(new ImageRecord(imageId, fileName, a.Width, a.Height));
        ImageOutput.Write(item, Path.Combine(_outDir, item.Dataset, item.Name), _options);
        if (a.Tags.Count > 0)
        {
            _report.Warn("image tags not written: COCO has no image tags");
        }

        var groups = new List<Group>();
        var byId = new Dictionary<(string, string), Group>();
        foreach (var label in a.Labels)
        {
            var kind = label.Geometry.Kind;
            if (kind is GeometryKind.Point or GeometryKind.Polyline)
            {
                _report.Unsupported(KindNames.Of(kind));
                continue;
            }

            string? tagged = null;
            var crowd = false;
            foreach (var t in label.Tags)
            {
                if (t.Name == CocoTags.AnnotationId)
                {
                    tagged = t.Value;
                }
                else if (t.Name == CocoTags.IsCrowd)
                {
                    crowd = true;
                }
                else
                {
                    _report.Warn("label tags not written: COCO has no label tags besides iscrowd");
                }
            }

            Group? group = null;
            if (tagged is not null && byId.TryGetValue((label.ClassName, tagged), out var existing) && existing.Accepts(label.Geometry))
            {
                group = existing;
            }

            if (group is null)
            {
                group = new Group(imageId, Category(label.ClassName), label.ClassName, item.Annotation);
                groups.Add(group);
                if (tagged is not null && long.TryParse(tagged, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && _reservedIds.Add(id))
                {
                    group.Id = id;
                    byId[(label.ClassName, tagged)] = group;
                }
            }

            group.Add(label, crowd);
            _report.Labels++;
        }

        ds.Annotations.AddRange(groups);
        _report.Items++;
    }

    private void Flush(CancellationToken ct)
    {
        long next = 1;
        var usedFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ds in _datasetOrder)
        {
            ct.ThrowIfCancellationRequested();
            foreach (var g in ds.Annotations)
            {
                if (g.Id == 0)
                {
                    while (_reservedIds.Contains(next))
                    {
                        next++;
                    }

                    g.Id = next++;
                }
            }

            var stem = "instances_" + DatasetNames.Flat(ds.Dataset);
            var name = stem;
            for (var i = 2; !usedFiles.Add(name); i++)
            {
                name = stem + "_" + i.ToString(CultureInfo.InvariantCulture);
            }

            var path = Path.Combine(_outDir, "annotations", name + ".json");
            using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 65536);
            using var w = new Utf8JsonWriter(fs);
            WriteFile(w, ds);
        }
    }

    private void WriteFile(Utf8JsonWriter w, DatasetFile ds)
    {
        w.WriteStartObject();
        w.WriteStartObject("info");
        w.WriteString("description", $"Exported by Cairn: dataset {ds.Dataset}");
        w.WriteEndObject();
        w.WriteStartArray("licenses");
        w.WriteEndArray();
        w.WriteStartArray("images");
        foreach (var img in ds.Images)
        {
            w.WriteStartObject();
            w.WriteNumber("id", img.Id);
            w.WriteString("file_name", img.FileName);
            w.WriteNumber("width", img.Width);
            w.WriteNumber("height", img.Height);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("annotations");
        foreach (var g in ds.Annotations)
        {
            g.Write(w, _report);
        }

        w.WriteEndArray();
        w.WriteStartArray("categories");
        for (var i = 0; i < _categories.Count; i++)
        {
            var c = _categories[i];
            w.WriteStartObject();
            w.WriteNumber("id", i + 1);
            w.WriteString("name", c.Name);
            if (c.Supercategory is not null)
            {
                w.WriteString("supercategory", c.Supercategory);
            }

            if (c.Keypoints is { } k)
            {
                w.WriteStartArray("keypoints");
                foreach (var n in k.Nodes)
                {
                    w.WriteStringValue(n);
                }

                w.WriteEndArray();
                w.WriteStartArray("skeleton");
                foreach (var e in k.Edges)
                {
                    w.WriteStartArray();
                    w.WriteNumberValue(e.From + 1);
                    w.WriteNumberValue(e.To + 1);
                    w.WriteEndArray();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private sealed record ImageRecord(int Id, string FileName, int Width, int Height);

    private sealed class DatasetFile(string dataset)
    {
        public string Dataset { get; } = dataset;

        public List<ImageRecord> Images { get; } = [];

        public List<Group> Annotations { get; } = [];
    }

    /// <summary>The labels that become one COCO annotation.</summary>
    private sealed class Group(int imageId, int categoryId, string className, Annotation image)
    {
        private readonly List<PolygonGeometry> _polygons = [];
        private readonly List<MaskGeometry> _masks = [];
        private RectangleGeometry? _box;
        private KeypointsGeometry? _keypoints;
        private bool _crowd;
        private double? _score;

        public long Id { get; set; }

        public bool Accepts(Geometry g) => g switch
        {
            RectangleGeometry => _box is null,
            KeypointsGeometry => _keypoints is null,
            _ => true,
        };

        public void Add(Label label, bool crowd)
        {
            _crowd |= crowd;
            _score ??= label.Confidence;
            switch (label.Geometry)
            {
                case PolygonGeometry p:
                    _polygons.Add(p);
                    break;
                case MaskGeometry m:
                    _masks.Add(m);
                    break;
                case RectangleGeometry r:
                    _box = r;
                    break;
                case KeypointsGeometry k:
                    _keypoints = k;
                    break;
                default:
                    throw new InvalidOperationException($"label kind {label.Geometry.Kind} of class {className} cannot be written to COCO");
            }
        }

        public void Write(Utf8JsonWriter w, ReportBuilder report)
        {
            w.WriteStartObject();
            w.WriteNumber("id", Id);
            w.WriteNumber("image_id", imageId);
            w.WriteNumber("category_id", categoryId);
            w.WriteNumber("iscrowd", _crowd ? 1 : 0);
            BoxD bounds;
            double area;
            var holes = _polygons.Any(p => p.Interiors.Count > 0);
            if (_masks.Count > 0 || holes)
            {
                if (holes)
                {
                    report.Warn("polygon with holes written as an RLE mask (COCO polygons have no holes)");
                }

                if (_masks.Count + _polygons.Count > 1)
                {
                    report.Warn("several shapes of one COCO annotation merged into one RLE mask");
                }

                var rle = Union(image.Width, image.Height);
                w.WriteStartObject("segmentation");
                w.WriteStartArray("size");
                w.WriteNumberValue(rle.Height);
                w.WriteNumberValue(rle.Width);
                w.WriteEndArray();
                w.WriteString("counts", rle.ToCompressedString());
                w.WriteEndObject();
                bounds = rle.Bounds();
                area = rle.Area();
            }
            else if (_polygons.Count > 0)
            {
                w.WriteStartArray("segmentation");
                area = 0;
                foreach (var p in _polygons)
                {
                    w.WriteStartArray();
                    foreach (var pt in p.Exterior)
                    {
                        w.WriteNumberValue(pt.X);
                        w.WriteNumberValue(pt.Y);
                    }

                    w.WriteEndArray();
                    area += p.Area();
                }

                w.WriteEndArray();
                bounds = BoxD.Enclosing(_polygons.SelectMany(p => p.Exterior));
            }
            else
            {
                w.WriteStartArray("segmentation");
                w.WriteEndArray();
                bounds = _box?.Box ?? _keypoints?.Bounds() ?? default;
                area = bounds.Width * bounds.Height;
            }

            if (_box is not null)
            {
                bounds = _box.Box;
            }

            w.WriteNumber("area", area);
            w.WriteStartArray("bbox");
            w.WriteNumberValue(bounds.Left);
            w.WriteNumberValue(bounds.Top);
            w.WriteNumberValue(bounds.Right - bounds.Left);
            w.WriteNumberValue(bounds.Bottom - bounds.Top);
            w.WriteEndArray();
            if (_keypoints is not null)
            {
                w.WriteStartArray("keypoints");
                var visible = 0;
                foreach (var k in _keypoints.Nodes)
                {
                    w.WriteNumberValue(k.X);
                    w.WriteNumberValue(k.Y);
                    w.WriteNumberValue(k.Visibility);
                    visible += k.Visibility > 0 ? 1 : 0;
                }

                w.WriteEndArray();
                w.WriteNumber("num_keypoints", visible);
            }

            if (_score is { } s)
            {
                w.WriteNumber("score", s);
            }

            w.WriteEndObject();
        }

        private Rle Union(int width, int height)
        {
            if (_masks.Count == 1 && _polygons.Count == 0)
            {
                return _masks[0].Rle;
            }

            var full = new byte[checked(width * height)];
            foreach (var m in _masks)
            {
                Or(full, m.Rle);
            }

            foreach (var p in _polygons)
            {
                Or(full, MaskRaster.FromPolygon(p, width, height));
            }

            return Rle.Encode(full, height, width);
        }

        private static void Or(byte[] into, Rle rle)
        {
            var d = rle.Decode();
            for (var i = 0; i < into.Length && i < d.Length; i++)
            {
                into[i] |= d[i];
            }
        }
    }
}
