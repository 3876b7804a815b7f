using System.Globalization;
using System.Runtime.CompilerServices;
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
    private readonly List<Geometry> _geometries = new(4);
    private int _degenerateParts;
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
            // A path the user typed may lie anywhere they can read (COCO's own layout keeps annotations/ beside
            // val2017/, FiftyOne's labels_path beside data_path): relative to the import folder when it names a file
            // there, else to the working folder. Only paths inside the files read stay confined to the import folder.
            var inRoot = Path.GetFullPath(given, _tree.Root);
            var full = File.Exists(inRoot) ? inRoot : Path.GetFullPath(given);
            if (!File.Exists(full))
            {
                throw new DatasetFormatException(given, null, $"annotation file not found (looked for {inRoot} and {full})");
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
        var rel = Describe(full);
        if (_tree.Contains(full))
        {
            _tree.CheckFile(full);
        }

        using var json = CocoJson.Read(full, rel, _options.Limits);
        if (json.Categories is null)
        {
            throw new DatasetFormatException(rel, "$", "missing required property 'categories'");
        }

        var categories = ReadCategories(JNode.TopLevel(json.Categories.RootElement, rel, "categories"));
        var images = ReadImages(json, full, ct);
        if (json.HasAnnotations)
        {
            ReadAnnotations(json, categories, images, ct);
        }
        else
        {
            _warnings.Add($"{rel}: no 'annotations' array; images imported without labels");
        }
    }

    private Dictionary<long, ClassInfo> ReadCategories(JNode categories)
    {
        var result = new Dictionary<long, ClassInfo>();
        foreach (var c in categories.Items())
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
    private Dictionary<long, Item> ReadImages(CocoJson json, string annotationFile, CancellationToken ct)
    {
        var rel = Describe(annotationFile);

        // A file outside the import folder (named with --annotations) finds its images from the root only.
        var annDir = _tree.Contains(annotationFile)
            ? Path.GetDirectoryName(rel.Replace('/', Path.DirectorySeparatorChar))?.Replace('\\', '/') ?? string.Empty
            : string.Empty;
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
        var result = new Dictionary<long, Item>(json.Images.Count);
        string? lastBase = null;
        var splitDataset = DatasetNames.Join(split);
        foreach (var img in json.Images)
        {
            ct.ThrowIfCancellationRequested();
            var fileName = img.FileName.Replace('\\', '/');
            string FileNamePath() => $"$.images[{img.Index}].file_name";
            if (!ImageProbe.IsImageName(fileName))
            {
                throw json.Fail(img.FileNameOffset, FileNamePath(), $"'{fileName}' is not an image file (expected one of: {ImageProbe.Accepted})");
            }

            // Images of one file nearly always share a folder: try the one that worked last first.
            string? found = null;
            for (var k = -1; k < bases.Count && found is null; k++)
            {
                var b = k < 0 ? lastBase : bases[k];
                if (b is null || (k >= 0 && b == lastBase))
                {
                    continue;
                }

                string candidate;
                try
                {
                    candidate = _tree.Join(b.Length == 0 ? fileName : b + "/" + fileName, rel, FileNamePath());
                }
                catch (DatasetFormatException ex)
                {
                    throw json.Fail(img.FileNameOffset, FileNamePath(), ex.Problem);
                }

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
            if (img.Width is { } w && img.Height is { } h)
            {
                try
                {
                    ImageProbe.CheckSize(w, h, _options.Limits, rel, null);
                }
                catch (DatasetFormatException ex)
                {
                    throw json.Fail(img.Offset, $"$.images[{img.Index}]", ex.Problem);
                }

                (width, height) = ((int)w, (int)h);
            }
            else
            {
                (width, height) = ImageProbe.ReadSize(found, _tree.Relative(found), _options.Limits);
            }

            if (_items.ContainsKey((dataset, name)))
            {
                throw json.Fail(img.FileNameOffset, FileNamePath(), $"image '{fileName}' is listed twice (dataset '{dataset}', name '{name}')");
            }

            var item = new Item(dataset, name, found, width, height);
            _items.Add((dataset, name), item);
            _itemOrder.Add(item);
            if (!result.TryAdd(img.Id, item))
            {
                throw json.Fail(img.Offset, $"$.images[{img.Index}].id", $"image id {img.Id} appears twice in $.images");
            }
        }

        missing.ThrowIfAny();
        return result;
    }

    /// <summary>An annotation file for messages: relative to the import folder, or as a full path when outside it.</summary>
    private string Describe(string full) => _tree.Contains(full) ? _tree.Relative(full) : full;

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
    private void ReadAnnotations(CocoJson json, Dictionary<long, ClassInfo> categories, Dictionary<long, Item> images, CancellationToken ct)
    {
        var anns = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(json.Annotations);
        for (var i = 0; i < anns.Length; i++)
        {
            if ((i & 1023) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            ReadAnnotation(json, in anns[i], categories, images);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadAnnotation(CocoJson json, in CocoAnnRec ann, Dictionary<long, ClassInfo> categories, Dictionary<long, Item> images)
    {
        var index = ann.Index;
        string Path(string rest) => $"$.annotations[{index}]{rest}";
        if (ann.ImageId is not { } imageId)
        {
            throw json.Fail(ann.Offset, Path(string.Empty), "missing required property 'image_id'");
        }

        if (!images.TryGetValue(imageId, out var item))
        {
            throw json.Fail(ann.ImageIdOffset, Path(".image_id"), $"image id {imageId} is not in $.images");
        }

        if (ann.CategoryId is not { } catId)
        {
            throw json.Fail(ann.Offset, Path(string.Empty), "missing required property 'category_id'");
        }

        if (!categories.TryGetValue(catId, out var cls))
        {
            throw json.Fail(ann.CategoryIdOffset, Path(".category_id"), $"category id {catId} is not in $.categories");
        }

        var geometries = _geometries;
        geometries.Clear();
        if (ann.Polygons is { } polygons)
        {
            for (var p = 0; p < polygons.Count; p++)
            {
                var (xy, offset) = polygons[p];
                if (xy.Length % 2 != 0)
                {
                    var where = ann.FlatPolygon ? Path(".segmentation") : Path($".segmentation[{p}]");
                    throw json.Fail(offset, where, $"expected a polygon [x1, y1, x2, y2, ...] (pairs of numbers), found {xy.Length} numbers");
                }

                // Real COCO files hold a few degenerate parts (0–2 points); they enclose nothing, so they are skipped and counted.
                if (xy.Length < 6)
                {
                    _degenerateParts++;
                    continue;
                }

                var points = new PointD[xy.Length / 2];
                for (var i = 0; i < points.Length; i++)
                {
                    points[i] = new PointD(xy[2 * i], xy[(2 * i) + 1]);
                }

                geometries.Add(new PolygonGeometry(points));
            }
        }
        else if (ann.Rle is { } rle)
        {
            geometries.Add(new MaskGeometry(ReadRle(json, rle, item, Path(".segmentation"))));
        }

        KeypointsGeometry? keypoints = ann.Keypoints is { } kp ? ReadKeypoints(json, kp, ann.KeypointsOffset, cls, Path(".keypoints")) : null;

        // Without a segmentation the box is the region, unless it is only the bounds of the keypoints (what the writer
        // puts there for a keypoint graph alone).
        if (geometries.Count == 0 && ann.Bbox is { } b)
        {
            if (b.Length != 4 || b[2] < 0 || b[3] < 0)
            {
                throw json.Fail(ann.BboxOffset, Path(".bbox"), "expected [x, y, width, height] with width and height ≥ 0");
            }

            var box = BoxD.FromXywh(b[0], b[1], b[2], b[3]);
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
            throw json.Fail(ann.Offset, Path(string.Empty), "annotation has no segmentation, bbox or keypoints (expected at least one)");
        }

        IReadOnlyList<Tag> tags = [];
        if (ann.Crowd || geometries.Count > 1)
        {
            var list = new List<Tag>(2);
            if (ann.Crowd)
            {
                list.Add(new Tag(CocoTags.IsCrowd));
                _usedCrowd = true;
            }

            if (geometries.Count > 1)
            {
                var id = ann.Id ?? throw json.Fail(ann.Offset, Path(string.Empty), "missing 'id' (needed to keep the parts of this annotation together)");
                list.Add(new Tag(CocoTags.AnnotationId, id.ToString(CultureInfo.InvariantCulture)));
                _usedGroup = true;
            }

            tags = list;
        }

        foreach (var g in geometries)
        {
            item.Labels.Add(new Label(cls.Name, g, tags, ann.Score));
            cls.Kinds.Add(g.Kind);
        }
    }

    private static KeypointsGeometry ReadKeypoints(CocoJson json, double[] k, int offset, ClassInfo cls, string path)
    {
        var expected = cls.Template?.Nodes.Count ?? throw json.Fail(offset, path, $"keypoints given, but category '{cls.Name}' defines no keypoint names");
        if (k.Length != 3 * expected)
        {
            throw json.Fail(offset, path, $"expected {3 * expected} numbers (x, y, visibility for each of the {expected} keypoints of '{cls.Name}'), found {k.Length}");
        }

        var nodes = new Keypoint[expected];
        for (var i = 0; i < nodes.Length; i++)
        {
            var v = k[(3 * i) + 2];
            if (v is not (0 or 1 or 2))
            {
                throw json.Fail(offset, $"{path}[{(3 * i) + 2}]", $"expected a visibility of 0, 1 or 2, found {v}");
            }

            nodes[i] = new Keypoint(k[3 * i], k[(3 * i) + 1], (int)v);
        }

        return new KeypointsGeometry(nodes);
    }

    private static bool Near(BoxD a, BoxD b) =>
        Math.Abs(a.Left - b.Left) < 1e-6 && Math.Abs(a.Top - b.Top) < 1e-6 && Math.Abs(a.Right - b.Right) < 1e-6 && Math.Abs(a.Bottom - b.Bottom) < 1e-6;

    private static Rle ReadRle(CocoJson json, CocoRleRec rle, Item item, string path)
    {
        if ((int)rle.Height != item.Height || (int)rle.Width != item.Width)
        {
            throw json.Fail(rle.SizeOffset, path + ".size", $"RLE size [{rle.Height}, {rle.Width}] differs from the image size [{item.Height}, {item.Width}] (expected [height, width] of the image)");
        }

        return RleOps.CheckSize(rle.Counts, item.Height, item.Width, out var error)
            ? new Rle(item.Height, item.Width, rle.Counts)
            : throw json.Fail(rle.CountsOffset, path + ".counts", error);
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

        if (_degenerateParts > 0)
        {
            _warnings.Add($"{_degenerateParts} polygon part(s) with fewer than 3 points skipped (they enclose no area)");
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
