using System.Globalization;
using Cairn.Core.Formats.Internal;
using Cairn.Core.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cairn.Core.Formats.Yolo;

/// <summary>Reads the Ultralytics YOLO layout: data.yaml, images/&lt;split&gt;/ and labels/&lt;split&gt;/ with one text file per image.</summary>
internal sealed class YoloReader
{
    private static readonly string[] Splits = ["train", "val", "test"];

    private readonly SafeTree _tree;
    private readonly ImportOptions _options;
    private readonly List<string> _warnings = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _labelFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), string> _keys = [];
    private readonly List<ImportedItem> _items = [];
    private string[] _names = [];
    private HashSet<GeometryKind>[] _kinds = [];
    private KeypointTemplate? _template;
    private int _kpts;
    private int _kptDims;
    private Dictionary<string, int> _classIndex = [];

    private YoloReader(SafeTree tree, ImportOptions options)
    {
        _tree = tree;
        _options = options;
    }

    public static ImportedProject Read(string root, ImportOptions options, CancellationToken ct)
    {
        var reader = new YoloReader(SafeTree.Open(root, ct), options);
        return reader.Run(ct);
    }

    private ImportedProject Run(CancellationToken ct)
    {
        var yamlPath = FindYaml();
        var yamlRel = _tree.Relative(yamlPath);
        _tree.CheckFile(yamlPath);
        var doc = LoadYaml(yamlPath, yamlRel);
        _names = ReadNames(doc, yamlRel);
        _kinds = _names.Select(_ => new HashSet<GeometryKind>()).ToArray();
        _classIndex = _names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        ReadPoseShape(doc, yamlRel);

        var baseDir = BaseDir(doc, yamlPath, yamlRel);
        var any = false;
        foreach (var split in Splits)
        {
            if (!doc.Children.TryGetValue(new YamlScalarNode(split), out var node) || node is YamlScalarNode { Value: null or "" or "null" })
            {
                continue;
            }

            any = true;
            foreach (var (entry, line) in Entries(node, yamlRel, split))
            {
                ReadSplitEntry(split, entry, line, baseDir, yamlRel, ct);
            }
        }

        if (!any)
        {
            throw new DatasetFormatException(yamlRel, null, "no train, val or test entry (expected at least one image folder or list)");
        }

        var classes = _names.Select((n, i) => new ObjClass(n, KindNames.ShapeOf(_kinds[i], GeometryKind.Rectangle), Palette.Color(i), _template)).ToList();
        return new ImportedProject(new ProjectMeta(classes, []), _items, _warnings);
    }

    private string FindYaml()
    {
        foreach (var name in new[] { "data.yaml", "data.yml", "dataset.yaml", "dataset.yml" })
        {
            var p = Path.Combine(_tree.Root, name);
            if (_tree.IsFile(p))
            {
                return p;
            }
        }

        var yamls = Directory.EnumerateFiles(_tree.Root, "*.yaml").Concat(Directory.EnumerateFiles(_tree.Root, "*.yml")).ToList();
        return yamls.Count == 1
            ? yamls[0]
            : throw new DatasetFormatException(".", null, yamls.Count == 0
                ? "no data.yaml found (expected the Ultralytics dataset file with names and train/val/test paths)"
                : $"several YAML files ({string.Join(", ", yamls.Select(_tree.Relative))}); expected one data.yaml");
    }

    private static YamlMappingNode LoadYaml(string path, string rel)
    {
        var stream = new YamlStream();
        try
        {
            using var text = File.OpenText(path);
            stream.Load(text);
        }
        catch (YamlException ex)
        {
            throw new DatasetFormatException(rel, $"line {ex.Start.Line}, column {ex.Start.Column}", $"malformed YAML: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet reports a flow collection left open at the end of the file this way, without a position.
            var lines = File.ReadLines(path).Count();
            throw new DatasetFormatException(rel, $"line {lines} (end of file)", "malformed YAML: the file ends inside a structure (an unclosed [ or {?)", ex);
        }

        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode map
            ? map
            : throw new DatasetFormatException(rel, null, "expected a YAML mapping with names and train/val/test");
    }

    private static string Line(YamlNode node) => $"line {node.Start.Line}";

    // Pose datasets: kpt_shape [K, 2 or 3]; optional kpt_names (a list, or a map class index → list) names the nodes.
    private void ReadPoseShape(YamlMappingNode doc, string rel)
    {
        if (!doc.Children.TryGetValue(new YamlScalarNode("kpt_shape"), out var node))
        {
            return;
        }

        if (node is not YamlSequenceNode { Children.Count: 2 } seq
            || seq.Children[0] is not YamlScalarNode { Value: { } ks } || !int.TryParse(ks, NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k < 1
            || seq.Children[1] is not YamlScalarNode { Value: { } ds } || !int.TryParse(ds, NumberStyles.None, CultureInfo.InvariantCulture, out var d) || d is not (2 or 3))
        {
            throw new DatasetFormatException(rel, Line(node), "expected kpt_shape: [number of keypoints, 2 or 3]");
        }

        _kpts = k;
        _kptDims = d;
        var names = Enumerable.Range(0, k).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (doc.Children.TryGetValue(new YamlScalarNode("kpt_names"), out var kn))
        {
            var list = kn switch
            {
                YamlSequenceNode l => l,
                YamlMappingNode m => m.Children.Values.OfType<YamlSequenceNode>().FirstOrDefault(),
                _ => null,
            };
            if (list is not null && list.Children.Count == k)
            {
                names = list.Children.Select((c, i) => c is YamlScalarNode { Value: { } v } ? v : names[i]).ToArray();
            }
            else
            {
                _warnings.Add($"{rel}: kpt_names does not list {k} names; keypoints are named 0..{k - 1}");
            }
        }

        _template = new KeypointTemplate(names, []);
    }

    private static string[] ReadNames(YamlMappingNode doc, string rel)
    {
        if (!doc.Children.TryGetValue(new YamlScalarNode("names"), out var namesNode))
        {
            throw new DatasetFormatException(rel, null, "missing 'names' (expected a list of class names or a map index: name)");
        }

        string[] names;
        switch (namesNode)
        {
            case YamlSequenceNode seq:
                names = seq.Children.Select(n => n is YamlScalarNode { Value: { } v } ? v : throw new DatasetFormatException(rel, Line(n), "expected a class name")).ToArray();
                break;
            case YamlMappingNode map:
                var byIndex = new SortedDictionary<int, string>();
                foreach (var (k, v) in map.Children)
                {
                    if (k is not YamlScalarNode { Value: { } ks } || !int.TryParse(ks, NumberStyles.None, CultureInfo.InvariantCulture, out var idx))
                    {
                        throw new DatasetFormatException(rel, Line(k), "expected a class index (0, 1, 2, ...) as the key of 'names'");
                    }

                    byIndex[idx] = v is YamlScalarNode { Value: { } vs } ? vs : throw new DatasetFormatException(rel, Line(v), "expected a class name");
                }

                if (byIndex.Count > 0 && (byIndex.Keys.First() != 0 || byIndex.Keys.Last() != byIndex.Count - 1))
                {
                    throw new DatasetFormatException(rel, Line(namesNode), "class indices of 'names' must run 0..n-1 without gaps");
                }

                names = [.. byIndex.Values];
                break;
            default:
                throw new DatasetFormatException(rel, Line(namesNode), "expected 'names' as a list or a map index: name");
        }

        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new DatasetFormatException(rel, Line(namesNode), "class names must be unique");
        }

        if (doc.Children.TryGetValue(new YamlScalarNode("nc"), out var nc) && nc is YamlScalarNode { Value: { } ncs }
            && int.TryParse(ncs, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n != names.Length)
        {
            throw new DatasetFormatException(rel, Line(nc), $"nc is {n} but names lists {names.Length} classes");
        }

        return names;
    }

    private string BaseDir(YamlMappingNode doc, string yamlPath, string yamlRel)
    {
        var yamlDir = Path.GetDirectoryName(yamlPath)!;
        if (!doc.Children.TryGetValue(new YamlScalarNode("path"), out var node) || node is not YamlScalarNode { Value: { Length: > 0 } p })
        {
            return yamlDir;
        }

        if (Path.IsPathRooted(p))
        {
            var full = Path.GetFullPath(p);
            if (_tree.Contains(full) || full == _tree.Root)
            {
                return full;
            }

            // Datasets move between machines with their absolute 'path'; the folder holding data.yaml is what was meant.
            _warnings.Add($"{yamlRel}: absolute path '{p}' lies outside the import folder; paths are read relative to the folder of {yamlRel}");
            return yamlDir;
        }

        var joined = Path.GetFullPath(Path.Combine(yamlDir, p));
        return _tree.Contains(joined) || joined == _tree.Root
            ? joined
            : throw new DatasetFormatException(yamlRel, Line(node), $"path '{p}' escapes the import folder");
    }

    private static IEnumerable<(string Entry, string Line)> Entries(YamlNode node, string rel, string split)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { } v }:
                yield return (v, Line(node));
                break;
            case YamlSequenceNode seq:
                foreach (var n in seq.Children)
                {
                    yield return n is YamlScalarNode { Value: { } s } ? (s, Line(n)) : throw new DatasetFormatException(rel, Line(n), $"expected a path in '{split}'");
                }

                break;
            default:
                throw new DatasetFormatException(rel, Line(node), $"expected '{split}' as a path or a list of paths");
        }
    }

    private void ReadSplitEntry(string split, string entry, string line, string baseDir, string yamlRel, CancellationToken ct)
    {
        var full = Path.GetFullPath(Path.Combine(baseDir, entry));
        if (!_tree.Contains(full))
        {
            throw new DatasetFormatException(yamlRel, line, $"'{split}' path '{entry}' escapes the import folder");
        }

        if (Directory.Exists(full))
        {
            var images = Directory.EnumerateFiles(full, "*", new EnumerationOptions { RecurseSubdirectories = true })
                .Where(ImageProbe.IsImageName)
                .Order(StringComparer.Ordinal)
                .ToList();
            AddImages(split, images, ct);
            CheckOrphanLabels(full);
            return;
        }

        if (full.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) && _tree.IsFile(full))
        {
            var listRel = _tree.Relative(full);
            var listDir = Path.GetDirectoryName(full)!;
            var missing = new MissingFiles(listRel, _options.Limits.MaxMissingListed);
            var n = 0;
            var found = new List<string>();
            foreach (var raw in File.ReadLines(full))
            {
                n++;
                var l = raw.Trim();
                if (l.Length == 0 || l.StartsWith('#'))
                {
                    continue;
                }

                var path = l.StartsWith("./", StringComparison.Ordinal) ? Path.Combine(listDir, l[2..]) : Path.Combine(Path.IsPathRooted(l) ? string.Empty : baseDir, l);
                var img = Path.GetFullPath(path);
                if (!_tree.Contains(img))
                {
                    throw new DatasetFormatException(listRel, $"line {n}", $"image path '{l}' lies outside the import folder");
                }

                ImageProbe.RequireImageName(l, listRel, $"line {n}");
                if (!_tree.IsFile(img))
                {
                    missing.Add(l);
                    continue;
                }

                found.Add(img);
            }

            missing.ThrowIfAny();
            AddImages(split, found, ct);

            return;
        }

        throw new DatasetFormatException(yamlRel, line, $"'{split}' path '{entry}' not found (expected an image folder or a .txt list of images)");
    }

    // A label file whose image is missing is a label for an unknown image: refused, listing the files.
    private void CheckOrphanLabels(string imageDir)
    {
        var rel = _tree.Relative(imageDir);
        var segs = rel.Split('/');
        var at = Array.LastIndexOf(segs, "images");
        if (at < 0)
        {
            return;
        }

        segs[at] = "labels";
        var labelDir = Path.Combine(_tree.Root, string.Join('/', segs));
        if (!Directory.Exists(labelDir))
        {
            return;
        }

        var orphans = new MissingFiles(string.Join('/', segs), _options.Limits.MaxMissingListed);
        var any = false;
        foreach (var txt in Directory.EnumerateFiles(labelDir, "*.txt", new EnumerationOptions { RecurseSubdirectories = true }).Order(StringComparer.Ordinal))
        {
            if (!_labelFiles.Contains(Path.GetFullPath(txt)))
            {
                orphans.Add(_tree.Relative(txt));
                any = true;
            }
        }

        if (any)
        {
            orphans.ThrowIfAny("label file(s) without an image (expected an image of the same name under " + rel + ")");
        }
    }

    // Headers and label files are read in parallel (each image is independent); results are merged in listing order,
    // so items, errors and duplicate checks come out exactly as a sequential pass would give them.
    private void AddImages(string split, List<string> files, CancellationToken ct)
    {
        var todo = files.Where(_seen.Add).ToArray();
        var loaded = new Loaded[todo.Length];
        try
        {
            Parallel.For(0, todo.Length, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                loaded[i] = Load(split, todo[i]);
            });
        }
        catch (AggregateException ae)
        {
            // An I/O failure, not bad input: surface it as itself rather than wrapped.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ae.InnerExceptions[0]).Throw();
        }

        foreach (var l in loaded)
        {
            if (_keys.TryGetValue((l.Dataset, l.Name), out var other))
            {
                throw new DatasetFormatException(l.Relative, null, $"image name '{l.Name}' appears twice in dataset '{l.Dataset}' (also {other})");
            }

            if (l.Error is not null)
            {
                throw l.Error;
            }

            _keys[(l.Dataset, l.Name)] = l.Relative;
            if (l.LabelFile is not null)
            {
                _labelFiles.Add(l.LabelFile);
            }

            foreach (var label in l.Item!.Annotation.Labels)
            {
                _kinds[_classIndex[label.ClassName]].Add(label.Geometry.Kind);
            }

            _items.Add(l.Item);
        }
    }

    private Loaded Load(string split, string full)
    {
        var rel = _tree.Relative(full);
        var segs = rel.Split('/');
        var imagesAt = segs.Length >= 2 ? Array.LastIndexOf(segs, "images", segs.Length - 2) : -1;
        var dataset = imagesAt >= 0 && imagesAt < segs.Length - 2
            ? DatasetNames.Join(string.Join('/', segs[(imagesAt + 1)..^1]))
            : DatasetNames.Join(split);
        var name = segs[^1];
        try
        {
            _tree.CheckFile(full);
            var (width, height) = ImageProbe.ReadSize(full, rel, _options.Limits);
            var labels = new List<Label>();
            string? labelFile = null;
            if (imagesAt >= 0)
            {
                segs[imagesAt] = "labels";
                segs[^1] = Path.ChangeExtension(segs[^1], ".txt");
                var labelRel = string.Join('/', segs);
                var labelPath = Path.Combine(_tree.Root, labelRel);
                if (_tree.IsFile(labelPath))
                {
                    labelFile = Path.GetFullPath(labelPath);
                    ReadLabels(labelPath, labelRel, width, height, labels);
                }
            }

            return new Loaded(dataset, name, rel, new ImportedItem(dataset, name, full, new Annotation(width, height, [], labels)), labelFile, null);
        }
        catch (DatasetFormatException ex)
        {
            return new Loaded(dataset, name, rel, null, null, ex);
        }
    }

    private void ReadLabels(string path, string rel, int width, int height, List<Label> into)
    {
        var lineNo = 0;
        var values = new List<double>();
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var tokens = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0)
            {
                continue;
            }

            var where = $"line {lineNo}";
            if (!int.TryParse(tokens[0], NumberStyles.None, CultureInfo.InvariantCulture, out var cls))
            {
                throw new DatasetFormatException(rel, where, $"'{tokens[0]}' is not a class index (expected an integer 0..{_names.Length - 1})");
            }

            if (cls >= _names.Length)
            {
                throw new DatasetFormatException(rel, where, $"class {cls} is not in names of data.yaml (expected 0..{_names.Length - 1})");
            }

            values.Clear();
            var pose = _kpts > 0;
            for (var i = 1; i < tokens.Length; i++)
            {
                if (!double.TryParse(tokens[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                {
                    throw new DatasetFormatException(rel, where, $"'{tokens[i]}' is not a number");
                }

                var visibility = pose && _kptDims == 3 && i >= 5 && (i - 5) % 3 == 2;
                if (visibility)
                {
                    if (v is not (0 or 1 or 2))
                    {
                        throw new DatasetFormatException(rel, where, $"keypoint visibility {tokens[i]} is not 0, 1 or 2");
                    }
                }
                else if (v is < 0 or > 1)
                {
                    throw new DatasetFormatException(rel, where, $"coordinate {tokens[i]} is outside 0..1 (expected coordinates normalised by the image size)");
                }

                values.Add(v);
            }

            if (pose)
            {
                if (values.Count != 4 + (_kpts * _kptDims))
                {
                    throw new DatasetFormatException(rel, where, $"found {tokens.Length} values; expected 'class cx cy w h' and {_kpts} keypoints of {_kptDims} values each ({5 + (_kpts * _kptDims)} in all, from kpt_shape)");
                }

                double bx = values[0], by = values[1], bw = values[2], bh = values[3];
                var box = new BoxD((bx - (bw / 2)) * width, (by - (bh / 2)) * height, (bx + (bw / 2)) * width, (by + (bh / 2)) * height);
                var nodes = new Keypoint[_kpts];
                var labelled = false;
                for (var j = 0; j < _kpts; j++)
                {
                    double x = values[4 + (j * _kptDims)], y = values[5 + (j * _kptDims)];
                    var v = _kptDims == 3 ? (int)values[6 + (j * _kptDims)] : (x == 0 && y == 0 ? 0 : 2);
                    nodes[j] = v == 0 ? default : new Keypoint(x * width, y * height, v);
                    labelled |= v > 0;
                }

                // As in COCO: a box that is only the bounds of the keypoints is not a label of its own, and a line
                // without any labelled keypoint is a plain box.
                var graph = new KeypointsGeometry(nodes);
                if (!labelled || !Near(box, graph.Bounds()))
                {
                    into.Add(new Label(_names[cls], new RectangleGeometry(box)));
                }

                if (labelled)
                {
                    into.Add(new Label(_names[cls], graph));
                }

                continue;
            }

            Geometry g;
            if (values.Count == 4)
            {
                double cx = values[0], cy = values[1], w = values[2], h = values[3];
                g = new RectangleGeometry(new BoxD((cx - (w / 2)) * width, (cy - (h / 2)) * height, (cx + (w / 2)) * width, (cy + (h / 2)) * height));
            }
            else if (values.Count >= 6 && values.Count % 2 == 0)
            {
                var pts = new PointD[values.Count / 2];
                for (var i = 0; i < pts.Length; i++)
                {
                    pts[i] = new PointD(values[2 * i] * width, values[(2 * i) + 1] * height);
                }

                g = new PolygonGeometry(pts);
            }
            else
            {
                throw new DatasetFormatException(rel, where, $"found {tokens.Length} values; expected 'class cx cy w h' (5) or 'class x1 y1 x2 y2 x3 y3 ...' (an odd count of at least 7)");
            }

            into.Add(new Label(_names[cls], g));
        }
    }

    private sealed record Loaded(string Dataset, string Name, string Relative, ImportedItem? Item, string? LabelFile, DatasetFormatException? Error);

    private static bool Near(BoxD a, BoxD b) =>
        Math.Abs(a.Left - b.Left) < 1e-6 && Math.Abs(a.Top - b.Top) < 1e-6 && Math.Abs(a.Right - b.Right) < 1e-6 && Math.Abs(a.Bottom - b.Bottom) < 1e-6;
}
