using System.Globalization;
using System.Text;
using Cairn.Core.Formats.Internal;
using Cairn.Core.Model;

namespace Cairn.Core.Formats.Yolo;

/// <summary>Writes the Ultralytics layout: images/&lt;dataset&gt;/, labels/&lt;dataset&gt;/ and data.yaml naming the splits.</summary>
internal sealed class YoloWriter
{
    private readonly string _outDir;
    private readonly ExportOptions _options;
    private readonly ReportBuilder _report = new();
    private readonly Dictionary<string, int> _classIndex = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];
    private readonly List<string> _datasets = [];
    private readonly Dictionary<string, List<string>> _images = new(StringComparer.Ordinal);
    private readonly KeypointTemplate? _template;

    private YoloWriter(ProjectMeta meta, string outDir, ExportOptions options)
    {
        _outDir = outDir;
        _options = options;

        // A project with keypoint classes and no polygon or mask classes becomes an Ultralytics pose dataset (every line
        // carries kpt_shape[0] keypoints); otherwise a detection/segmentation one, where keypoints cannot be written.
        if (!meta.Classes.Any(c => c.Shape is GeometryKind.Polygon or GeometryKind.Mask))
        {
            _template = meta.Classes.Select(c => c.Keypoints).Where(k => k is not null).MaxBy(k => k!.Nodes.Count);
        }
        foreach (var c in meta.Classes)
        {
            Index(c.Name);
        }
    }

    public static ExportReport Write(ProjectMeta meta, IEnumerable<ExportItem> items, string outDir, ExportOptions options, CancellationToken ct)
    {
        var writer = new YoloWriter(meta, Path.GetFullPath(outDir), options);
        Directory.CreateDirectory(writer._outDir);
        foreach (var item in items)
        {
            ct.ThrowIfCancellationRequested();
            writer.Add(item);
        }

        writer.WriteYaml();
        return writer._report.Build();
    }

    private int Index(string name)
    {
        if (!_classIndex.TryGetValue(name, out var i))
        {
            i = _names.Count;
            _names.Add(name);
            _classIndex.Add(name, i);
        }

        return i;
    }

    private void Add(ExportItem item)
    {
        DatasetNames.CheckForExport(item.Dataset, item.Name);
        if (!_images.TryGetValue(item.Dataset, out var images))
        {
            _datasets.Add(item.Dataset);
            _images.Add(item.Dataset, images = []);
        }

        images.Add($"images/{item.Dataset}/{item.Name}");

        var a = item.Annotation;
        ImageOutput.Write(item, Path.Combine(_outDir, "images", item.Dataset, item.Name), _options);
        if (a.Tags.Count > 0)
        {
            _report.Warn("image tags not written: YOLO has no tags");
        }

        var sb = new StringBuilder();
        double w = a.Width, h = a.Height;
        if (_template is not null)
        {
            WritePose(sb, a);
        }

        foreach (var label in _template is null ? a.Labels : [])
        {
            var g = label.Geometry;
            if (_options.ShapesAsBoxes && g.Kind is GeometryKind.Polygon or GeometryKind.Mask)
            {
                g = new RectangleGeometry(g.Bounds());
                _report.Tally($"{KindNames.Of(label.Geometry.Kind)} labels written as their bounding boxes");
            }

            switch (g)
            {
                case RectangleGeometry r:
                    var b = new BoxD(Math.Max(0, r.Box.Left), Math.Max(0, r.Box.Top), Math.Min(w, r.Box.Right), Math.Min(h, r.Box.Bottom));
                    if (b != r.Box)
                    {
                        _report.Warn("boxes reaching outside the image clipped to it (YOLO coordinates lie in 0..1)");
                    }

                    sb.Append(Index(label.ClassName).ToString(CultureInfo.InvariantCulture));
                    Num(sb, (b.Left + b.Right) / 2 / w);
                    Num(sb, (b.Top + b.Bottom) / 2 / h);
                    Num(sb, b.Width / w);
                    Num(sb, b.Height / h);
                    sb.Append('\n');
                    break;
                case PolygonGeometry p:
                    if (p.Interiors.Count > 0)
                    {
                        _report.Warn("polygon holes not written: YOLO segments have no holes");
                    }

                    sb.Append(Index(label.ClassName).ToString(CultureInfo.InvariantCulture));
                    foreach (var pt in p.Exterior)
                    {
                        if (pt.X < 0 || pt.Y < 0 || pt.X > w || pt.Y > h)
                        {
                            _report.Warn("polygon points outside the image clipped to it (YOLO coordinates lie in 0..1)");
                        }

                        Num(sb, Math.Clamp(pt.X / w, 0, 1));
                        Num(sb, Math.Clamp(pt.Y / h, 0, 1));
                    }

                    sb.Append('\n');
                    break;
                default:
                    _report.Unsupported(KindNames.Of(g.Kind));
                    continue;
            }

            if (label.Tags.Count > 0)
            {
                _report.Warn("label tags not written: YOLO has no tags");
            }

            _report.Labels++;
        }

        var labelPath = Path.Combine(_outDir, "labels", item.Dataset, Path.ChangeExtension(item.Name, ".txt"));
        Directory.CreateDirectory(Path.GetDirectoryName(labelPath)!);
        File.WriteAllText(labelPath, sb.ToString());
        _report.Items++;
    }

    // Pose lines: a box followed by the keypoints of the same class become one line; a box alone gets keypoints "0 0 0";
    // a keypoint graph alone gets the bounds of its visible nodes as its box.
    private void WritePose(StringBuilder sb, Annotation a)
    {
        double w = a.Width, h = a.Height;
        var labels = a.Labels;
        for (var i = 0; i < labels.Count; i++)
        {
            var label = labels[i];
            var g = label.Geometry;
            BoxD box;
            KeypointsGeometry? kps = null;
            if (g is RectangleGeometry r)
            {
                box = r.Box;
                if (i + 1 < labels.Count && labels[i + 1].Geometry is KeypointsGeometry next && labels[i + 1].ClassName == label.ClassName)
                {
                    kps = next;
                    i++;
                    _report.Labels++;
                }
            }
            else if (g is KeypointsGeometry k)
            {
                if (!k.Nodes.Any(n => n.Visibility > 0))
                {
                    _report.Warn("keypoint graphs without any labelled node and without a box not written (nothing to write)");
                    continue;
                }

                kps = k;
                box = k.Bounds();
                _report.Warn("keypoint graphs without a box before them written with the bounds of their visible nodes as box");
            }
            else if (_options.ShapesAsBoxes && g.Kind is GeometryKind.Polygon or GeometryKind.Mask)
            {
                box = g.Bounds();
                _report.Tally($"{KindNames.Of(g.Kind)} labels written as their bounding boxes");
            }
            else
            {
                _report.Unsupported(KindNames.Of(g.Kind));
                continue;
            }

            var b = new BoxD(Math.Max(0, box.Left), Math.Max(0, box.Top), Math.Min(w, box.Right), Math.Min(h, box.Bottom));
            if (b != box)
            {
                _report.Warn("boxes reaching outside the image clipped to it (YOLO coordinates lie in 0..1)");
            }

            sb.Append(Index(label.ClassName).ToString(CultureInfo.InvariantCulture));
            Num(sb, (b.Left + b.Right) / 2 / w);
            Num(sb, (b.Top + b.Bottom) / 2 / h);
            Num(sb, b.Width / w);
            Num(sb, b.Height / h);
            for (var j = 0; j < _template!.Nodes.Count; j++)
            {
                if (kps is null || j >= kps.Nodes.Count || kps.Nodes[j].Visibility == 0)
                {
                    sb.Append(" 0 0 0");
                    continue;
                }

                var n = kps.Nodes[j];
                if (n.X < 0 || n.Y < 0 || n.X > w || n.Y > h)
                {
                    _report.Warn("keypoints outside the image clipped to it (YOLO coordinates lie in 0..1)");
                }

                Num(sb, Math.Clamp(n.X / w, 0, 1));
                Num(sb, Math.Clamp(n.Y / h, 0, 1));
                sb.Append(' ').Append(n.Visibility.ToString(CultureInfo.InvariantCulture));
            }

            sb.Append('\n');
            if (label.Tags.Count > 0)
            {
                _report.Warn("label tags not written: YOLO has no tags");
            }

            _report.Labels++;
        }
    }

    private static void Num(StringBuilder sb, double v) => sb.Append(' ').Append(v.ToString("R", CultureInfo.InvariantCulture));

    private void WriteYaml()
    {
        var train = new List<string>();
        var val = new List<string>();
        var test = new List<string>();
        foreach (var ds in _datasets)
        {
            // By prefix, so COCO's val2017 and test-dev are held out too; valid* and validation start with "val".
            var top = ds.Split('/')[0];
            var list = top.StartsWith("val", StringComparison.OrdinalIgnoreCase) ? val
                : top.StartsWith("test", StringComparison.OrdinalIgnoreCase) ? test
                : train;
            list.Add("images/" + ds);
        }

        // Ultralytics needs both train and val, and metrics on training images measure nothing: with no val dataset a
        // seeded share of the training images is held out, listed in train.txt and val.txt, so no image is in both.
        if (val.Count == 0 && train.Count > 0)
        {
            (train, val) = HoldOut(train);
        }
        else if (train.Count == 0 && val.Count > 0)
        {
            File.WriteAllText(Path.Combine(_outDir, "train.txt"), string.Empty);
            train.Add("train.txt");
            _report.Warn("no training dataset: train.txt is empty, so this export serves `yolo val` but not training");
        }

        var sb = new StringBuilder();
        sb.Append("# Exported by Cairn. Paths are relative to 'path'.\n");
        sb.Append("path: ").Append(Quote(_outDir)).Append('\n');
        Split(sb, "train", train);
        if (val.Count > 0)
        {
            Split(sb, "val", val);
        }

        if (test.Count > 0)
        {
            Split(sb, "test", test);
        }

        if (_template is { } t)
        {
            sb.Append("kpt_shape: [").Append(t.Nodes.Count.ToString(CultureInfo.InvariantCulture)).Append(", 3]\n");
            sb.Append("flip_idx: [").Append(string.Join(", ", FlipIndex(t.Nodes))).Append("]\n");
            sb.Append("kpt_names:\n  0:\n");
            foreach (var n in t.Nodes)
            {
                sb.Append("    - ").Append(Quote(n)).Append('\n');
            }
        }

        sb.Append("nc: ").Append(_names.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("names:\n");
        for (var i = 0; i < _names.Count; i++)
        {
            sb.Append("  ").Append(i.ToString(CultureInfo.InvariantCulture)).Append(": ").Append(Quote(_names[i])).Append('\n');
        }

        File.WriteAllText(Path.Combine(_outDir, "data.yaml"), sb.ToString());
    }

    // Images ordered by a hash of their path, so the same export holds out the same images whatever the item order.
    private (List<string> Train, List<string> Val) HoldOut(List<string> trainFolders)
    {
        var images = trainFolders.SelectMany(f => _images[f["images/".Length..]]).ToList();
        var fraction = _options.ValFraction;
        if (fraction is <= 0 or >= 1 || !double.IsFinite(fraction))
        {
            throw new ArgumentOutOfRangeException(nameof(_options), fraction, "the val fraction must lie between 0 and 1 (exclusive)");
        }

        if (images.Count < 2)
        {
            _report.Warn("no dataset named val* and a single training image: data.yaml has no val, which Ultralytics needs for training");
            return (trainFolders, []);
        }

        var held = Math.Clamp((int)Math.Round(images.Count * fraction), 1, images.Count - 1);
        var order = images.OrderBy(p => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(p))), StringComparer.Ordinal).ToList();
        var val = order.Take(held).ToHashSet(StringComparer.Ordinal);
        File.WriteAllLines(Path.Combine(_outDir, "train.txt"), images.Where(p => !val.Contains(p)).Select(p => "./" + p));
        File.WriteAllLines(Path.Combine(_outDir, "val.txt"), images.Where(val.Contains).Select(p => "./" + p));
        _report.Warn($"no dataset named val*: {held} of {images.Count} training images ({fraction:P0}) held out as val, listed in val.txt; train.txt lists the rest");
        return (["train.txt"], ["val.txt"]);
    }

    private static void Split(StringBuilder sb, string key, List<string> paths)
    {
        if (paths.Count == 1)
        {
            sb.Append(key).Append(": ").Append(Quote(paths[0])).Append('\n');
            return;
        }

        sb.Append(key).Append(":\n");
        foreach (var p in paths)
        {
            sb.Append("  - ").Append(Quote(p)).Append('\n');
        }
    }

    // Ultralytics swaps keypoints through flip_idx when it mirrors an image: "left_eye" pairs with "right_eye".
    private static IEnumerable<string> FlipIndex(IReadOnlyList<string> nodes)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            var mirrored = n.Contains("left", StringComparison.OrdinalIgnoreCase)
                ? n.Replace("left", "right", StringComparison.Ordinal).Replace("Left", "Right", StringComparison.Ordinal)
                : n.Replace("right", "left", StringComparison.Ordinal).Replace("Right", "Left", StringComparison.Ordinal);
            var j = mirrored == n ? i : IndexOf(nodes, mirrored);
            yield return (j < 0 ? i : j).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static int IndexOf(IReadOnlyList<string> nodes, string name)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    // Single-quoted YAML scalars: only the quote itself needs escaping, so any class name survives.
    private static string Quote(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
}
