using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Cairn.Core.Formats.Internal;
using Cairn.Core.Model;

namespace Cairn.Core.Formats.Voc;

/// <summary>
/// Reads Pascal VOC: Annotations/*.xml, JPEGImages/, ImageSets/Main/*.txt (each one-column list is a dataset).
/// VOC boxes count pixels from 1 with inclusive corners, so a box (xmin, ymin, xmax, ymax) covers the continuous
/// area (xmin − 1, ymin − 1) to (xmax, ymax).
/// </summary>
internal sealed class VocReader
{
    private static readonly string[] SplitOrder = ["train", "val", "test"];
    private static readonly XmlReaderSettings XmlSettings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };

    private readonly SafeTree _tree;
    private readonly ImportOptions _options;
    private readonly List<string> _warnings = [];
    private readonly List<string> _classOrder = [];
    private readonly Dictionary<string, HashSet<GeometryKind>> _classes = new(StringComparer.Ordinal);
    private bool _usedDifficult;
    private bool _usedTruncated;
    private bool _usedOccluded;
    private bool _usedPose;

    private VocReader(SafeTree tree, ImportOptions options)
    {
        _tree = tree;
        _options = options;
    }

    public static ImportedProject Read(string root, ImportOptions options, CancellationToken ct) =>
        new VocReader(SafeTree.Open(root, ct), options).Run(ct);

    private ImportedProject Run(CancellationToken ct)
    {
        var vocRoot = FindVocRoot();
        var annDir = Path.Combine(vocRoot, "Annotations");
        var splits = ReadSplits(vocRoot);
        var missing = new MissingFiles(_tree.Relative(annDir), _options.Limits.MaxMissingListed);
        var items = new List<ImportedItem>();
        var parts = 0;
        var xmls = Directory.EnumerateFiles(annDir, "*.xml").Order(StringComparer.Ordinal).ToArray();

        // XML files are independent: parse them in parallel, then merge in listing order (classes in order of first use).
        var parsed = new Parsed[xmls.Length];
        Parallel.For(0, xmls.Length, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                _tree.CheckFile(xmls[i]);
                var stem = Path.GetFileNameWithoutExtension(xmls[i]);
                parsed[i] = ReadXml(xmls[i], vocRoot, splits.GetValueOrDefault(stem) ?? DatasetNames.Default);
            }
            catch (Exception ex) when (ex is DatasetFormatException or IOException)
            {
                parsed[i] = new Parsed(null, null, 0, ex);
            }
        });
        foreach (var p in parsed)
        {
            if (p.Error is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(p.Error).Throw();
            }

            if (p.Missing is not null)
            {
                missing.Add(p.Missing);
                continue;
            }

            parts += p.Parts;
            items.Add(p.Item!);
            Register(p.Item!.Annotation.Labels);
        }

        missing.ThrowIfAny();
        if (parts > 0)
        {
            _warnings.Add($"{parts} <part> element(s) (person layout) not imported");
        }

        var classes = _classOrder.Select((c, i) => new ObjClass(c, KindNames.ShapeOf(_classes[c], GeometryKind.Rectangle), Palette.Color(i))).ToList();
        var tags = new List<TagMeta>();
        if (_usedDifficult)
        {
            tags.Add(new TagMeta(VocTags.Difficult, TagValueType.None));
        }

        if (_usedTruncated)
        {
            tags.Add(new TagMeta(VocTags.Truncated, TagValueType.None));
        }

        if (_usedOccluded)
        {
            tags.Add(new TagMeta(VocTags.Occluded, TagValueType.None));
        }

        if (_usedPose)
        {
            tags.Add(new TagMeta(VocTags.Pose, TagValueType.AnyString));
        }

        return new ImportedProject(new ProjectMeta(classes, tags), items, _warnings);
    }

    // The root itself, or VOCdevkit/VOC2012 below it.
    private string FindVocRoot()
    {
        if (Directory.Exists(Path.Combine(_tree.Root, "Annotations")))
        {
            return _tree.Root;
        }

        var found = Directory.EnumerateDirectories(_tree.Root, "Annotations", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 })
            .Select(Path.GetDirectoryName)
            .ToList();
        return found.Count == 1
            ? found[0]!
            : throw new DatasetFormatException(".", null, found.Count == 0
                ? "no Annotations/ folder (expected Pascal VOC: Annotations/*.xml, JPEGImages/, ImageSets/Main/)"
                : $"several VOC folders: {string.Join(", ", found.Select(f => _tree.Relative(f!)))}; import one of them");
    }

    private Dictionary<string, string> ReadSplits(string vocRoot)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var main = Path.Combine(vocRoot, "ImageSets", "Main");
        if (!Directory.Exists(main))
        {
            return result;
        }

        var sets = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(main, "*.txt", new EnumerationOptions { RecurseSubdirectories = true }))
        {
            _tree.CheckFile(file);
            var stems = new List<string>();
            var oneColumn = true;
            foreach (var line in File.ReadLines(file))
            {
                var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (tokens.Length == 0)
                {
                    continue;
                }

                if (tokens.Length != 1)
                {
                    oneColumn = false; // a per-class list ("2008_000008 -1"), not a split
                    break;
                }

                stems.Add(tokens[0]);
            }

            if (oneColumn)
            {
                var name = Path.GetRelativePath(main, file).Replace('\\', '/');
                sets[name[..^4]] = stems;
            }
        }

        if (sets.ContainsKey("train") && sets.ContainsKey("val"))
        {
            sets.Remove("trainval");
        }

        var order = SplitOrder.Where(sets.ContainsKey).Concat(sets.Keys.Where(k => !SplitOrder.Contains(k)).Order(StringComparer.Ordinal));
        foreach (var set in order)
        {
            foreach (var stem in sets[set])
            {
                result.TryAdd(stem, DatasetNames.Join(set));
            }
        }

        return result;
    }

    private void Register(IReadOnlyList<Label> labels)
    {
        foreach (var label in labels)
        {
            if (!_classes.TryGetValue(label.ClassName, out var kinds))
            {
                kinds = [];
                _classes.Add(label.ClassName, kinds);
                _classOrder.Add(label.ClassName);
            }

            kinds.Add(label.Geometry.Kind);
            foreach (var t in label.Tags)
            {
                _usedDifficult |= t.Name == VocTags.Difficult;
                _usedTruncated |= t.Name == VocTags.Truncated;
                _usedOccluded |= t.Name == VocTags.Occluded;
                _usedPose |= t.Name == VocTags.Pose;
            }
        }
    }

    private Parsed ReadXml(string xmlPath, string vocRoot, string dataset)
    {
        var rel = _tree.Relative(xmlPath);
        XElement root;
        try
        {
            using var reader = XmlReader.Create(xmlPath, XmlSettings);
            root = XElement.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw new DatasetFormatException(rel, $"line {ex.LineNumber}, column {ex.LinePosition}", $"malformed XML: {ex.Message}", ex);
        }

        if (root.Name.LocalName != "annotation")
        {
            throw new DatasetFormatException(rel, Where(root), $"expected an <annotation> root element, found <{root.Name.LocalName}>");
        }

        // Some tools write a full path into <filename>; VOC keeps every image in JPEGImages/, so only the name counts.
        var fileName = root.Element("filename")?.Value.Trim().Replace('\\', '/');
        if (fileName is not null && fileName.Contains('/'))
        {
            fileName = fileName[(fileName.LastIndexOf('/') + 1)..];
        }

        string imagePath;
        if (string.IsNullOrEmpty(fileName))
        {
            var stem = Path.GetFileNameWithoutExtension(xmlPath);
            fileName = new[] { ".jpg", ".jpeg", ".png" }.Select(e => stem + e).FirstOrDefault(n => File.Exists(Path.Combine(vocRoot, "JPEGImages", n))) ?? stem + ".jpg";
        }

        ImageProbe.RequireImageName(fileName, rel, "<filename>");
        imagePath = _tree.Join(Path.GetRelativePath(_tree.Root, Path.Combine(vocRoot, "JPEGImages")).Replace('\\', '/') + "/" + fileName, rel, "<filename>");
        if (!_tree.IsFile(imagePath))
        {
            return new Parsed(null, "JPEGImages/" + fileName, 0, null);
        }

        int width, height;
        var size = root.Element("size");
        var w = size?.Element("width");
        var h = size?.Element("height");
        if (w is not null && h is not null && Number(w, rel) > 0 && Number(h, rel) > 0)
        {
            ImageProbe.CheckSize((long)Number(w, rel), (long)Number(h, rel), _options.Limits, rel, Where(size!));
            (width, height) = ((int)Number(w, rel), (int)Number(h, rel));
        }
        else
        {
            (width, height) = ImageProbe.ReadSize(imagePath, _tree.Relative(imagePath), _options.Limits);
        }

        var labels = new List<Label>();
        var parts = 0;
        foreach (var obj in root.Elements("object"))
        {
            var name = obj.Element("name")?.Value.Trim();
            if (string.IsNullOrEmpty(name))
            {
                throw new DatasetFormatException(rel, Where(obj), "<object> without a <name> (expected the class name)");
            }

            var box = obj.Element("bndbox") ?? throw new DatasetFormatException(rel, Where(obj), $"<object> '{name}' without <bndbox> (expected xmin, ymin, xmax, ymax)");
            double xmin = Coord(box, "xmin", rel), ymin = Coord(box, "ymin", rel), xmax = Coord(box, "xmax", rel), ymax = Coord(box, "ymax", rel);
            if (xmax < xmin || ymax < ymin)
            {
                throw new DatasetFormatException(rel, Where(box), $"box ({xmin}, {ymin}, {xmax}, {ymax}) has xmax < xmin or ymax < ymin");
            }

            var tags = new List<Tag>();
            if (Flag(obj, "difficult", rel))
            {
                tags.Add(new Tag(VocTags.Difficult));
            }

            if (Flag(obj, "truncated", rel))
            {
                tags.Add(new Tag(VocTags.Truncated));
            }

            if (Flag(obj, "occluded", rel))
            {
                tags.Add(new Tag(VocTags.Occluded));
            }

            var pose = obj.Element("pose")?.Value.Trim();
            if (!string.IsNullOrEmpty(pose) && pose != "Unspecified")
            {
                tags.Add(new Tag(VocTags.Pose, pose));
            }

            parts += obj.Elements("part").Count();
            labels.Add(new Label(name, new RectangleGeometry(new BoxD(xmin - 1, ymin - 1, xmax, ymax)), tags));
        }

        return new Parsed(new ImportedItem(dataset, fileName, imagePath, new Annotation(width, height, [], labels)), null, parts, null);
    }

    private static string Where(XElement e) => e is IXmlLineInfo li && li.HasLineInfo() ? $"line {li.LineNumber}" : $"<{e.Name.LocalName}>";

    private static double Coord(XElement box, string name, string rel)
    {
        var e = box.Element(name) ?? throw new DatasetFormatException(rel, Where(box), $"<bndbox> without <{name}>");
        return Number(e, rel);
    }

    private static double Number(XElement e, string rel) =>
        double.TryParse(e.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new DatasetFormatException(rel, Where(e), $"<{e.Name.LocalName}> is '{e.Value.Trim()}', expected a number");

    private static bool Flag(XElement obj, string name, string rel)
    {
        var e = obj.Element(name);
        return e is not null && e.Value.Trim() switch
        {
            "1" or "true" => true,
            "0" or "false" or "" => false,
            _ => throw new DatasetFormatException(rel, Where(e), $"<{name}> is '{e.Value.Trim()}', expected 0 or 1"),
        };
    }

    private sealed record Parsed(ImportedItem? Item, string? Missing, int Parts, Exception? Error);
}
