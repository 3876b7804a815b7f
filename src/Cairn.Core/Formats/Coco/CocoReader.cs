using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Cairn.Core.Formats.Internal;
using Cairn.Core.Masks;
using Cairn.Core.Model;

namespace Cairn.Core.Formats.Coco;

/// <summary>Reads COCO instance (and person keypoint) JSON files and the images they list.</summary>
internal sealed class CocoReader
{
    private static readonly string[] SplitPrefixes = ["instances_", "person_keypoints_"];

    private readonly SafeTree _tree;
    private readonly ImportOptions _options;
    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, ClassInfo> _classes = new(StringComparer.Ordinal);
    private readonly List<ClassInfo> _classOrder = [];
    private readonly Dictionary<(string Dataset, string Name), Item> _items = [];
    private readonly List<Item> _itemOrder = [];
    private bool _usedCrowd;
    private bool _usedGroup;

    private CocoReader(SafeTree tree, ImportOptions options)
    {
        _tree = tree;
        _options = options;
    }

    public static ImportedProject Read(string root, ImportOptions options, CancellationToken ct)
    {
        var tree = SafeTree.Open(root, ct);
        var reader = new CocoReader(tree, options);
        foreach (var file in reader.AnnotationFiles())
        {
            ct.ThrowIfCancellationRequested();
            reader.ReadFile(file, ct);
        }

        return reader.Build();
    }

    private List<string> AnnotationFiles()
    {
        if (_options.AnnotationsFile is { } given)
        {
            var full = Path.IsPathRooted(given) ? Path.GetFullPath(given) : _tree.Join(given, given, null);
            if (!_tree.Contains(full))
            {
                throw new DatasetFormatException(given, null, "the annotation file must lie inside the import folder");
            }

            if (!_tree.IsFile(full))
            {
                throw new DatasetFormatException(_tree.Relative(full), null, "annotation file not found");
            }

            return [full];
        }

        var candidates = new List<string>();
        foreach (var dir in new[] { _tree.Root, Path.Combine(_tree.Root, "annotations") })
        {
            if (Directory.Exists(dir))
            {
                candidates.AddRange(Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal));
            }
        }

        // Roboflow's layout: one "_annotations.coco.json" per split folder.
        if (candidates.Count == 0)
        {
            foreach (var dir in Directory.EnumerateDirectories(_tree.Root).Order(StringComparer.Ordinal))
            {
                candidates.AddRange(Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal));
            }
        }

        candidates.RemoveAll(f => Path.GetFileName(f).StartsWith("captions_", StringComparison.Ordinal));
        var instances = candidates.Where(f => Path.GetFileName(f).StartsWith("instances_", StringComparison.Ordinal)).ToList();
        if (instances.Count > 0)
        {
            return instances;
        }

        if (candidates.Count == 0)
        {
            throw new DatasetFormatException(".", null, "no COCO annotation file found (expected *.json in the folder or in annotations/; name one with --annotations)");
        }

        var perFolder = candidates.GroupBy(Path.GetDirectoryName).ToList();
        if (perFolder.Any(g => g.Count() > 1))
        {
            var names = string.Join(", ", candidates.Select(_tree.Relative));
            throw new DatasetFormatException(".", null, $"several JSON files could be the COCO annotations ({names}); name one with --annotations");
        }

        return candidates;
    }

    private void ReadFile(string full, CancellationToken ct)
    {
        var rel = _tree.Relative(full);
        _tree.CheckFile(full);
        using var doc = JsonInput.Parse(full, rel, _options.Limits);
        var root = new JNode(doc.RootElement, rel);
        if (root.Kind != JsonValueKind.Object)
        {
            throw root.Expected("a COCO object with images, annotations and categories");
        }

        var categories = ReadCategories(root);
        var images = ReadImages(root, full, ct);
        if (root.TryGet("annotations", out var anns))
        {
            ReadAnnotations(anns, categories, images, ct);
        }
        else
        {
            _warnings.Add($"{rel}: no 'annotations' array; images imported without labels");
        }
    }

    private Dictionary<long, ClassInfo> ReadCategories(JNode root)
    {
        var result = new Dictionary<long, ClassInfo>();
        foreach (var c in root.Required("categories").Items())
        {
            var id = c.Required("id").Long();
            var name = c.Required("name").String();
            if (name.Length == 0)
            {
                throw c.Required("name").Expected("a non-empty class name");
            }

            string? super = c.TryGet("supercategory", out var s) ? s.String() : null;
            KeypointTemplate? template = null;
            if (c.TryGet("keypoints", out var kps))
            {
                var nodes = kps.Items().Select(k => k.String()).ToArray();
                var edges = new List<KeypointEdge>();
                if (c.TryGet("skeleton", out var sk))
                {
                    foreach (var e in sk.Items())
                    {
                        if (e.Length != 2)
                        {
                            throw e.Expected("an edge [from, to] of 1-based keypoint numbers");
                        }

                        int a = e[0].Int(), b = e[1].Int();
                        if (a < 1 || a > nodes.Length || b < 1 || b > nodes.Length)
                        {
                            throw e.Error($"skeleton edge [{a}, {b}] refers to a keypoint outside 1..{nodes.Length}");
                        }

                        edges.Add(new KeypointEdge(a - 1, b - 1));
                    }
                }

                template = new KeypointTemplate(nodes, edges);
            }

            if (!_classes.TryGetValue(name, out var info))
            {
                info = new ClassInfo(name, super, template);
                _classes.Add(name, info);
                _classOrder.Add(info);
            }
            else
            {
                info.Supercategory ??= super;
                info.Template ??= template;
            }

            if (!result.TryAdd(id, info))
            {
                throw c.Required("id").Error($"category id {id} appears twice in $.categories");
            }
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Dictionary<long, Item> ReadImages(JNode root, string annotationFile, CancellationToken ct)
    {
        var rel = _tree.Relative(annotationFile);
        var annDir = Path.GetDirectoryName(rel.Replace('/', Path.DirectorySeparatorChar))?.Replace('\\', '/') ?? string.Empty;
        var split = SplitOf(Path.GetFileNameWithoutExtension(annotationFile), annDir);
        var bases = new List<string>();
        foreach (var b in new[] { annDir, string.Empty, "images", split, split is null ? null : "images/" + split })
        {
            if (b is not null && !bases.Contains(b))
            {
                bases.Add(b);
            }
        }

        var missing = new MissingFiles(rel, _options.Limits.MaxMissingListed);
        var result = new Dictionary<long, Item>();
        string? lastBase = null;
        var splitDataset = DatasetNames.Join(split);
        foreach (var img in root.Required("images").Items())
        {
            ct.ThrowIfCancellationRequested();
            if (img.Kind != JsonValueKind.Object)
            {
                throw img.Expected("an image object");
            }

            JsonElement idEl = default, fileEl = default, wEl = default, hEl = default;
            foreach (var p in img.Element.EnumerateObject())
            {
                if (p.NameEquals("id"u8))
                {
                    idEl = p.Value;
                }
                else if (p.NameEquals("file_name"u8))
                {
                    fileEl = p.Value;
                }
                else if (p.NameEquals("width"u8))
                {
                    wEl = p.Value;
                }
                else if (p.NameEquals("height"u8))
                {
                    hEl = p.Value;
                }
            }

            var id = idEl.ValueKind == JsonValueKind.Number && idEl.TryGetInt64(out var fastId) ? fastId : img.Required("id").Long();
            var fileNode = fileEl.ValueKind == JsonValueKind.Undefined ? img.Required("file_name") : img.Child("file_name", fileEl);
            var fileName = fileNode.String().Replace('\\', '/');
            var location = fileNode.Path;
            ImageProbe.RequireImageName(fileName, rel, location);
            // Images of one file nearly always share a folder: try the one that worked last first.
            string? found = null;
            for (var k = -1; k < bases.Count && found is null; k++)
            {
                var b = k < 0 ? lastBase : bases[k];
                if (b is null || (k >= 0 && b == lastBase))
                {
                    continue;
                }

                var candidate = _tree.Join(b.Length == 0 ? fileName : b + "/" + fileName, rel, location);
                if (_tree.IsFile(candidate))
                {
                    found = candidate;
                    lastBase = b;
                }
            }

            var slash = fileName.LastIndexOf('/');
            var name = slash < 0 ? fileName : fileName[(slash + 1)..];
            var dataset = slash > 0 ? DatasetNames.Join(fileName[..slash]) : splitDataset;
            if (found is null)
            {
                missing.Add(fileName);
                continue;
            }

            int width, height;
            if (wEl.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null) && hEl.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            {
                var w = img.Child("width", wEl).Long();
                var h = img.Child("height", hEl).Long();
                ImageProbe.CheckSize(w, h, _options.Limits, rel, img.Path);
                (width, height) = ((int)w, (int)h);
            }
            else
            {
                (width, height) = ImageProbe.ReadSize(found, _tree.Relative(found), _options.Limits);
            }

            if (_items.ContainsKey((dataset, name)))
            {
                throw fileNode.Error($"image '{fileName}' is listed twice (dataset '{dataset}', name '{name}')");
            }

            var item = new Item(dataset, name, found, width, height);
            _items.Add((dataset, name), item);
            _itemOrder.Add(item);
            if (!result.TryAdd(id, item))
            {
                throw img.Required("id").Error($"image id {id} appears twice in $.images");
            }
        }

        missing.ThrowIfAny();
        return result;
    }

    private static string? SplitOf(string stem, string annDir)
    {
        foreach (var prefix in SplitPrefixes)
        {
            if (stem.StartsWith(prefix, StringComparison.Ordinal) && stem.Length > prefix.Length)
            {
                return stem[prefix.Length..];
            }
        }

        return annDir.Length > 0 && annDir != "annotations" ? annDir : null;
    }

    // An import runs once, so its loops would otherwise run as unoptimised tier-0 code for most of their 20,000 turns.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadAnnotations(JNode anns, Dictionary<long, ClassInfo> categories, Dictionary<long, Item> images, CancellationToken ct)
    {
        foreach (var ann in anns.Items())
        {
            ct.ThrowIfCancellationRequested();
            ReadAnnotation(ann, categories, images);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadAnnotation(JNode ann, Dictionary<long, ClassInfo> categories, Dictionary<long, Item> images)
    {
        if (ann.Kind != JsonValueKind.Object)
        {
            throw ann.Expected("an annotation object");
        }

        // One pass over the properties: 20,000 annotations must cost little next to hashing the images.
        JsonElement imageEl = default, catEl = default, crowdEl = default, scoreEl = default, segEl = default, bboxEl = default, kpEl = default;
        foreach (var p in ann.Element.EnumerateObject())
        {
            if (p.NameEquals("image_id"u8))
            {
                imageEl = p.Value;
            }
            else if (p.NameEquals("category_id"u8))
            {
                catEl = p.Value;
            }
            else if (p.NameEquals("bbox"u8))
            {
                bboxEl = p.Value;
            }
            else if (p.NameEquals("segmentation"u8))
            {
                segEl = p.Value;
            }
            else if (p.NameEquals("iscrowd"u8))
            {
                crowdEl = p.Value;
            }
            else if (p.NameEquals("keypoints"u8))
            {
                kpEl = p.Value;
            }
            else if (p.NameEquals("score"u8))
            {
                scoreEl = p.Value;
            }
        }

        if (imageEl.ValueKind is JsonValueKind.Undefined)
        {
            throw ann.Error("missing required property 'image_id'");
        }

        if (imageEl.ValueKind != JsonValueKind.Number || !imageEl.TryGetInt64(out var imageId) || !images.TryGetValue(imageId, out var item))
        {
            var imageNode = ann.Child("image_id", imageEl);
            imageId = imageNode.Long();
            throw imageNode.Error($"image id {imageId} is not in $.images");
        }

        if (catEl.ValueKind is JsonValueKind.Undefined)
        {
            throw ann.Error("missing required property 'category_id'");
        }

        if (catEl.ValueKind != JsonValueKind.Number || !catEl.TryGetInt64(out var catId) || !categories.TryGetValue(catId, out var cls))
        {
            var catNode = ann.Child("category_id", catEl);
            catId = catNode.Long();
            throw catNode.Error($"category id {catId} is not in $.categories");
        }

        var crowd = crowdEl.ValueKind switch
        {
            JsonValueKind.Number when crowdEl.TryGetInt32(out var ci) && ci == 0 => false,
            JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.False => false,
            _ => ann.Child("iscrowd", crowdEl).Bool(),
        };
        double? score = scoreEl.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : ann.Child("score", scoreEl).Double();
        var geometries = new List<Geometry>(2);
        if (segEl.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null)
            && !(segEl.ValueKind == JsonValueKind.Array && segEl.GetArrayLength() == 0))
        {
            ReadSegmentation(ann.Child("segmentation", segEl), item, geometries);
        }

        KeypointsGeometry? keypoints = kpEl.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : ReadKeypoints(ann.Child("keypoints", kpEl), cls);

        // Without a segmentation the box is the region, unless it is only the bounds of the keypoints (what the writer
        // puts there for a keypoint graph alone).
        if (geometries.Count == 0 && bboxEl.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            var box = ReadBox(ann, bboxEl);
            if (keypoints is null || !Near(box, keypoints.Bounds()))
            {
                geometries.Add(new RectangleGeometry(box));
            }
        }

        if (keypoints is not null)
        {
            geometries.Add(keypoints);
        }

        if (geometries.Count == 0)
        {
            throw ann.Error("annotation has no segmentation, bbox or keypoints (expected at least one)");
        }

        IReadOnlyList<Tag> tags = [];
        if (crowd || geometries.Count > 1)
        {
            var list = new List<Tag>(2);
            if (crowd)
            {
                list.Add(new Tag(CocoTags.IsCrowd));
                _usedCrowd = true;
            }

            if (geometries.Count > 1)
            {
                list.Add(new Tag(CocoTags.AnnotationId, ann.Required("id").Long().ToString(CultureInfo.InvariantCulture)));
                _usedGroup = true;
            }

            tags = list;
        }

        foreach (var g in geometries)
        {
            item.Labels.Add(new Label(cls.Name, g, tags, score));
            cls.Kinds.Add(g.Kind);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static BoxD ReadBox(JNode ann, JsonElement bbox)
    {
        // Fast path for the common [x, y, w, h] of numbers; anything else goes through JNode for a precise error.
        if (bbox.ValueKind == JsonValueKind.Array && bbox.GetArrayLength() == 4
            && Num(bbox[0], out var x) && Num(bbox[1], out var y) && Num(bbox[2], out var w) && Num(bbox[3], out var h) && w >= 0 && h >= 0)
        {
            return BoxD.FromXywh(x, y, w, h);
        }

        var node = ann.Child("bbox", bbox);
        var b = node.Doubles();
        return b.Length != 4 || b[2] < 0 || b[3] < 0
            ? throw node.Expected("[x, y, width, height] with width and height ≥ 0")
            : BoxD.FromXywh(b[0], b[1], b[2], b[3]);
    }

    private static bool Num(JsonElement e, out double v)
    {
        v = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out v) && double.IsFinite(v);
    }

    private static KeypointsGeometry ReadKeypoints(JNode kpNode, ClassInfo cls)
    {
        var k = kpNode.Doubles();
        var expected = cls.Template?.Nodes.Count ?? throw kpNode.Error($"keypoints given, but category '{cls.Name}' defines no keypoint names");
        if (k.Length != 3 * expected)
        {
            throw kpNode.Expected($"{3 * expected} numbers (x, y, visibility for each of the {expected} keypoints of '{cls.Name}'), found {k.Length}");
        }

        var nodes = new Keypoint[expected];
        for (var i = 0; i < nodes.Length; i++)
        {
            var v = k[(3 * i) + 2];
            if (v is not (0 or 1 or 2))
            {
                throw kpNode[(3 * i) + 2].Expected("a visibility of 0, 1 or 2");
            }

            nodes[i] = new Keypoint(k[3 * i], k[(3 * i) + 1], (int)v);
        }

        return new KeypointsGeometry(nodes);
    }

    private static bool Near(BoxD a, BoxD b) =>
        Math.Abs(a.Left - b.Left) < 1e-6 && Math.Abs(a.Top - b.Top) < 1e-6 && Math.Abs(a.Right - b.Right) < 1e-6 && Math.Abs(a.Bottom - b.Bottom) < 1e-6;

    private static void ReadSegmentation(JNode seg, Item item, List<Geometry> into)
    {
        switch (seg.Kind)
        {
            case JsonValueKind.Array:
                if (seg.Length == 0)
                {
                    return;
                }

                // A few tools write one polygon as a flat list of numbers instead of a list of polygons.
                if (seg[0].Kind == JsonValueKind.Number)
                {
                    into.Add(Polygon(seg));
                    return;
                }

                foreach (var part in seg.Items())
                {
                    into.Add(Polygon(part));
                }

                return;
            case JsonValueKind.Object:
                into.Add(new MaskGeometry(ReadRle(seg, item)));
                return;
            default:
                throw seg.Expected("a list of polygons or an RLE object {counts, size}");
        }
    }

    private static PolygonGeometry Polygon(JNode part)
    {
        var xy = part.Doubles();
        if (xy.Length < 6 || xy.Length % 2 != 0)
        {
            throw part.Expected($"a polygon [x1, y1, x2, y2, ...] of at least 3 points, found {xy.Length} numbers");
        }

        var points = new PointD[xy.Length / 2];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = new PointD(xy[2 * i], xy[(2 * i) + 1]);
        }

        return new PolygonGeometry(points);
    }

    private static Rle ReadRle(JNode seg, Item item)
    {
        var size = seg.Required("size");
        var hw = size.Doubles();
        if (hw.Length != 2)
        {
            throw size.Expected("[height, width]");
        }

        if ((int)hw[0] != item.Height || (int)hw[1] != item.Width)
        {
            throw size.Error($"RLE size [{hw[0]}, {hw[1]}] differs from the image size [{item.Height}, {item.Width}] (expected [height, width] of the image)");
        }

        var counts = seg.Required("counts");
        if (counts.Kind == JsonValueKind.String)
        {
            return Rle.TryFromCompressedString(counts.String(), item.Height, item.Width, out var rle, out var error)
                ? rle
                : throw counts.Error(error);
        }

        var values = new uint[counts.Length];
        long total = 0;
        var i = 0;
        foreach (var n in counts.Items())
        {
            var v = n.Long();
            if (v is < 0 or > uint.MaxValue)
            {
                throw n.Expected("a run length ≥ 0");
            }

            values[i++] = (uint)v;
            total += v;
        }

        if (total != (long)item.Height * item.Width)
        {
            throw counts.Error($"RLE counts sum to {total}, expected height×width = {(long)item.Height * item.Width}");
        }

        return new Rle(item.Height, item.Width, values);
    }

    private ImportedProject Build()
    {
        var classes = _classOrder.Select((c, i) => new ObjClass(
            c.Name,
            KindNames.ShapeOf(c.Kinds, c.Template is null ? GeometryKind.Any : GeometryKind.Keypoints),
            Palette.Color(i),
            c.Template,
            c.Supercategory)).ToList();
        var tags = new List<TagMeta>();
        if (_usedCrowd)
        {
            tags.Add(new TagMeta(CocoTags.IsCrowd, TagValueType.None));
        }

        if (_usedGroup)
        {
            tags.Add(new TagMeta(CocoTags.AnnotationId, TagValueType.AnyNumber));
        }

        var items = _itemOrder.Select(i => new ImportedItem(i.Dataset, i.Name, i.Path, new Annotation(i.Width, i.Height, [], i.Labels))).ToList();
        return new ImportedProject(new ProjectMeta(classes, tags), items, _warnings);
    }

    private sealed class ClassInfo(string name, string? supercategory, KeypointTemplate? template)
    {
        public string Name { get; } = name;

        public string? Supercategory { get; set; } = supercategory;

        public KeypointTemplate? Template { get; set; } = template;

        public HashSet<GeometryKind> Kinds { get; } = [];
    }

    private sealed class Item(string dataset, string name, string path, int width, int height)
    {
        public string Dataset { get; } = dataset;

        public string Name { get; } = name;

        public string Path { get; } = path;

        public int Width { get; } = width;

        public int Height { get; } = height;

        public List<Label> Labels { get; } = [];
    }
}
