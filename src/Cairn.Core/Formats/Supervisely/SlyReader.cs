using System.Text.Json;
using Cairn.Core.Formats.Internal;
using Cairn.Core.Model;

namespace Cairn.Core.Formats.Supervisely;

/// <summary>
/// Reads the Supervisely project format: meta.json, and per dataset &lt;dataset&gt;/ann/&lt;image&gt;.json beside
/// &lt;dataset&gt;/img/&lt;image&gt;. Nested datasets (&lt;parent&gt;/datasets/&lt;child&gt;/) become "parent/child".
/// Rectangles are inclusive pixel indices ([[left, top], [right, bottom]] covers right − left + 1 columns).
/// </summary>
internal sealed class SlyReader
{
    private readonly SafeTree _tree;
    private readonly ImportOptions _options;
    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, (ObjClass Class, Dictionary<string, int>? NodeIndex)> _classes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TagMeta> _tags = new(StringComparer.Ordinal);
    private ProjectMeta _meta = ProjectMeta.Empty;

    private SlyReader(SafeTree tree, ImportOptions options)
    {
        _tree = tree;
        _options = options;
    }

    public static ImportedProject Read(string root, ImportOptions options, CancellationToken ct) =>
        new SlyReader(SafeTree.Open(root, ct), options).Run(ct);

    private ImportedProject Run(CancellationToken ct)
    {
        var metaPath = Path.Combine(_tree.Root, "meta.json");
        if (!_tree.IsFile(metaPath))
        {
            throw new DatasetFormatException(".", null, "no meta.json (expected a Supervisely project: meta.json and <dataset>/ann, <dataset>/img)");
        }

        ReadMeta(metaPath);
        var items = new List<ImportedItem>();
        var datasets = FindDatasets(_tree.Root, string.Empty).ToList();
        if (datasets.Count == 0)
        {
            throw new DatasetFormatException(".", null, "no dataset folders (expected <dataset>/ann/*.json and <dataset>/img/)");
        }

        foreach (var (dir, name) in datasets)
        {
            ReadDataset(dir, name, items, ct);
        }

        return new ImportedProject(_meta, items, _warnings);
    }

    private static IEnumerable<(string Dir, string Name)> FindDatasets(string dir, string prefix)
    {
        foreach (var sub in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(sub);
            if (Directory.Exists(Path.Combine(sub, "ann")) || Directory.Exists(Path.Combine(sub, "img")))
            {
                var full = prefix.Length == 0 ? name : prefix + "/" + name;
                yield return (sub, full);
                var nested = Path.Combine(sub, "datasets");
                if (Directory.Exists(nested))
                {
                    foreach (var child in FindDatasets(nested, full))
                    {
                        yield return child;
                    }
                }
            }
        }
    }

    private void ReadMeta(string path)
    {
        using var doc = JsonInput.Parse(path, "meta.json", _options.Limits);
        var root = new JNode(doc.RootElement, "meta.json");
        var classes = new List<ObjClass>();
        if (root.TryGet("classes", out var cs))
        {
            foreach (var c in cs.Items())
            {
                var title = c.Required("title").String();
                var shapeNode = c.Required("shape");
                var shape = SlyShapes.Parse(shapeNode.String())
                    ?? throw shapeNode.Expected("one of rectangle, polygon, bitmap, point, line, graph, any");
                var color = c.TryGet("color", out var col) ? col.String() : Palette.Color(classes.Count);
                KeypointTemplate? template = null;
                Dictionary<string, int>? index = null;
                // Cairn writes a class that mixes graphs with other shapes as "any" with a geometry_config.
                if (shape == GeometryKind.Keypoints || (c.TryGet("geometry_config", out var gc) && gc.Kind == JsonValueKind.Object && gc.TryGet("nodes", out _)))
                {
                    (template, index) = ReadGraph(c);
                }

                var cls = new ObjClass(title, shape, color.ToUpperInvariant(), template);
                if (!_classes.TryAdd(title, (cls, index)))
                {
                    throw c.Required("title").Error($"class '{title}' is defined twice");
                }

                classes.Add(cls);
            }
        }

        var tags = new List<TagMeta>();
        if (root.TryGet("tags", out var ts))
        {
            foreach (var t in ts.Items())
            {
                var name = t.Required("name").String();
                var typeNode = t.Required("value_type");
                var type = SlyShapes.ParseTagType(typeNode.String()) ?? throw typeNode.Expected("one of none, any_string, any_number, oneof_string");
                IReadOnlyList<string>? values = t.TryGet("values", out var vs) ? vs.Items().Select(v => v.String()).ToArray() : null;
                var meta = new TagMeta(name, type, values, t.TryGet("color", out var col) ? col.String().ToUpperInvariant() : null);
                if (!_tags.TryAdd(name, meta))
                {
                    throw t.Required("name").Error($"tag '{name}' is defined twice");
                }

                tags.Add(meta);
            }
        }

        _meta = new ProjectMeta(classes, tags);
    }

    private static (KeypointTemplate, Dictionary<string, int>) ReadGraph(JNode cls)
    {
        if (!cls.TryGet("geometry_config", out var config) || !config.TryGet("nodes", out var nodes))
        {
            throw cls.Error("graph class without geometry_config.nodes (expected the keypoint template)");
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var (id, node) in nodes.Properties())
        {
            index[id] = names.Count;
            names.Add(node.TryGet("label", out var label) ? label.String() : id);
        }

        var edges = new List<KeypointEdge>();
        if (config.TryGet("edges", out var es))
        {
            foreach (var e in es.Items())
            {
                var src = e.Required("src").String();
                var dst = e.Required("dst").String();
                if (!index.TryGetValue(src, out var a) || !index.TryGetValue(dst, out var b))
                {
                    throw e.Error($"edge {src} → {dst} refers to a node not in geometry_config.nodes");
                }

                edges.Add(new KeypointEdge(a, b));
            }
        }

        return (new KeypointTemplate(names, edges), index);
    }

    private void ReadDataset(string dir, string dataset, List<ImportedItem> items, CancellationToken ct)
    {
        var annDir = Path.Combine(dir, "ann");
        var imgDir = Path.Combine(dir, "img");
        var missing = new MissingFiles(_tree.Relative(annDir), _options.Limits.MaxMissingListed);
        var annotated = new HashSet<string>(StringComparer.Ordinal);
        var todo = new List<(string AnnPath, string Rel, string ImageName, string ImagePath)>();
        if (Directory.Exists(annDir))
        {
            foreach (var annPath in Directory.EnumerateFiles(annDir, "*.json").Order(StringComparer.Ordinal))
            {
                ct.ThrowIfCancellationRequested();
                _tree.CheckFile(annPath);
                var imageName = Path.GetFileNameWithoutExtension(annPath);
                var rel = _tree.Relative(annPath);
                ImageProbe.RequireImageName(imageName, rel, null);
                var imagePath = Path.Combine(imgDir, imageName);
                if (!_tree.IsFile(imagePath))
                {
                    missing.Add(_tree.Relative(imagePath));
                    continue;
                }

                annotated.Add(imageName);
                todo.Add((annPath, rel, imageName, imagePath));
            }
        }

        missing.ThrowIfAny();

        // Annotation files are independent: parse them in parallel, keep listing order for items and errors.
        var parsed = new (Annotation? Annotation, Exception? Error)[todo.Count];
        Parallel.For(0, todo.Count, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                parsed[i] = (ReadAnnotation(todo[i].AnnPath, todo[i].Rel), null);
            }
            catch (Exception ex) when (ex is DatasetFormatException or IOException)
            {
                parsed[i] = (null, ex);
            }
        });
        for (var i = 0; i < todo.Count; i++)
        {
            if (parsed[i].Error is { } error)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
            }

            items.Add(new ImportedItem(dataset, todo[i].ImageName, todo[i].ImagePath, parsed[i].Annotation!));
        }

        if (Directory.Exists(imgDir))
        {
            foreach (var img in Directory.EnumerateFiles(imgDir).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(img);
                if (!annotated.Contains(name) && ImageProbe.IsImageName(name))
                {
                    _tree.CheckFile(img);
                    var (w, h) = ImageProbe.ReadSize(img, _tree.Relative(img), _options.Limits);
                    items.Add(new ImportedItem(dataset, name, img, Annotation.Empty(w, h)));
                }
            }
        }
    }

    private Annotation ReadAnnotation(string path, string rel)
    {
        using var doc = JsonInput.Parse(path, rel, _options.Limits);
        var root = new JNode(doc.RootElement, rel);
        var size = root.Required("size");
        var hNode = size.Required("height");
        var wNode = size.Required("width");
        ImageProbe.CheckSize(wNode.Long(), hNode.Long(), _options.Limits, rel, size.Path);
        int width = wNode.Int(), height = hNode.Int();
        var imageTags = root.TryGet("tags", out var it) ? ReadTags(it) : [];
        var labels = new List<Label>();
        if (root.TryGet("objects", out var objects))
        {
            foreach (var obj in objects.Items())
            {
                var titleNode = obj.Required("classTitle");
                var title = titleNode.String();
                if (!_classes.TryGetValue(title, out var cls))
                {
                    throw titleNode.Error($"class '{title}' is not in meta.json");
                }

                var typeNode = obj.Required("geometryType");
                var geometry = typeNode.String() switch
                {
                    "rectangle" => (Geometry)Rectangle(obj),
                    "polygon" => Polygon(obj),
                    "line" or "polyline" => new PolylineGeometry(Points(obj.Required("points").Required("exterior"), 2)),
                    "point" => Point(obj),
                    "bitmap" => Bitmap(obj, width, height),
                    "graph" => Graph(obj, cls.Class, cls.NodeIndex),
                    _ => throw typeNode.Expected("one of rectangle, polygon, line, point, bitmap, graph"),
                };
                var tags = obj.TryGet("tags", out var ot) ? ReadTags(ot) : [];
                labels.Add(new Label(title, geometry, tags));
            }
        }

        return new Annotation(width, height, imageTags, labels);
    }

    private List<Tag> ReadTags(JNode tags)
    {
        var result = new List<Tag>();
        foreach (var t in tags.Items())
        {
            var nameNode = t.Required("name");
            var name = nameNode.String();
            if (!_tags.TryGetValue(name, out var meta))
            {
                throw nameNode.Error($"tag '{name}' is not in meta.json");
            }

            string? value = t.TryGet("value", out var v) ? v.ScalarText() : null;
            if (meta.ValueType == TagValueType.None && value is not null)
            {
                throw v.Error($"tag '{name}' takes no value (value_type none)");
            }

            if (meta.ValueType == TagValueType.AnyNumber && value is not null
                && !double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                throw v.Error($"value '{value}' of tag '{name}' is not a number (value_type any_number)");
            }

            if (meta.ValueType == TagValueType.OneOf && value is not null && meta.PossibleValues is { } pv && !pv.Contains(value))
            {
                throw v.Error($"value '{value}' of tag '{name}' is not one of: {string.Join(", ", pv)}");
            }

            result.Add(new Tag(name, value));
        }

        return result;
    }

    private static RectangleGeometry Rectangle(JNode obj)
    {
        var ext = obj.Required("points").Required("exterior");
        var pts = Points(ext, 2);
        if (pts.Length != 2)
        {
            throw ext.Expected("two corners [[left, top], [right, bottom]]");
        }

        double l = Math.Min(pts[0].X, pts[1].X), t = Math.Min(pts[0].Y, pts[1].Y);
        double r = Math.Max(pts[0].X, pts[1].X), b = Math.Max(pts[0].Y, pts[1].Y);
        return new RectangleGeometry(new BoxD(l, t, r + 1, b + 1));
    }

    private static PolygonGeometry Polygon(JNode obj)
    {
        var points = obj.Required("points");
        var exterior = Points(points.Required("exterior"), 3);
        var holes = new List<IReadOnlyList<PointD>>();
        if (points.TryGet("interior", out var interior))
        {
            foreach (var ring in interior.Items())
            {
                holes.Add(Points(ring, 3));
            }
        }

        return new PolygonGeometry(exterior, holes);
    }

    private static PointGeometry Point(JNode obj)
    {
        var ext = obj.Required("points").Required("exterior");
        var pts = Points(ext, 1);
        return pts.Length == 1 ? new PointGeometry(pts[0]) : throw ext.Expected("exactly one point [[x, y]]");
    }

    private MaskGeometry Bitmap(JNode obj, int width, int height)
    {
        var bitmap = obj.Required("bitmap");
        var origin = bitmap.Required("origin").Doubles();
        if (origin.Length != 2)
        {
            throw bitmap.Required("origin").Expected("[x, y]");
        }

        return new MaskGeometry(SlyBitmap.Decode(bitmap.Required("data"), (int)origin[0], (int)origin[1], width, height, _options.Limits));
    }

    private static KeypointsGeometry Graph(JNode obj, ObjClass cls, Dictionary<string, int>? index)
    {
        var nodesNode = obj.Required("nodes");
        var template = cls.Keypoints;
        if (template is null || index is null)
        {
            throw nodesNode.Error($"graph object of class '{cls.Name}', whose shape is not graph in meta.json");
        }

        var nodes = new Keypoint[template.Nodes.Count];
        foreach (var (id, node) in nodesNode.Properties())
        {
            if (!index.TryGetValue(id, out var i))
            {
                throw node.Error($"node '{id}' is not in the graph of class '{cls.Name}'");
            }

            var loc = node.Required("loc").Doubles();
            if (loc.Length != 2)
            {
                throw node.Required("loc").Expected("[x, y]");
            }

            var disabled = node.TryGet("disabled", out var d) && d.Bool();
            nodes[i] = new Keypoint(loc[0], loc[1], disabled ? 1 : 2);
        }

        return new KeypointsGeometry(nodes);
    }

    private static PointD[] Points(JNode list, int min)
    {
        var n = list.Length;
        if (n < min)
        {
            throw list.Expected($"at least {min} point(s) [[x, y], ...]");
        }

        var result = new PointD[n];
        var i = 0;
        foreach (var p in list.Items())
        {
            if (p.Kind != JsonValueKind.Array || p.Length != 2)
            {
                throw p.Expected("a point [x, y]");
            }

            result[i++] = new PointD(p[0].Double(), p[1].Double());
        }

        return result;
    }
}
