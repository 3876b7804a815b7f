using System.Globalization;
using System.Text.Json;
using Cairn.Core.Formats.Internal;
using Cairn.Core.Model;

namespace Cairn.Core.Formats.Supervisely;

/// <summary>Writes the Supervisely project format: meta.json and &lt;dataset&gt;/img, &lt;dataset&gt;/ann (nested datasets under &lt;parent&gt;/datasets/).</summary>
internal sealed class SlyWriter
{
    private static readonly JsonWriterOptions Pretty = new() { Indented = false };

    private readonly string _outDir;
    private readonly ExportOptions _options;
    private readonly ReportBuilder _report = new();
    private readonly List<ObjClass> _classes;
    private readonly Dictionary<string, ObjClass> _classByName = new(StringComparer.Ordinal);
    private readonly List<TagMeta> _tags;
    private readonly Dictionary<string, TagMeta> _tagByName = new(StringComparer.Ordinal);

    private SlyWriter(ProjectMeta meta, string outDir, ExportOptions options)
    {
        _outDir = outDir;
        _options = options;
        _classes = [.. meta.Classes];
        _tags = [.. meta.Tags];
        foreach (var c in _classes)
        {
            _classByName[c.Name] = c;
        }

        foreach (var t in _tags)
        {
            _tagByName[t.Name] = t;
        }
    }

    public static ExportReport Write(ProjectMeta meta, IEnumerable<ExportItem> items, string outDir, ExportOptions options, CancellationToken ct)
    {
        var writer = new SlyWriter(meta, Path.GetFullPath(outDir), options);
        Directory.CreateDirectory(writer._outDir);
        foreach (var item in items)
        {
            ct.ThrowIfCancellationRequested();
            writer.Add(item);
        }

        writer.WriteMeta();
        return writer._report.Build();
    }

    private static string DatasetDir(string dataset) => dataset.Replace("/", "/datasets/", StringComparison.Ordinal);

    private ObjClass Class(string name, Geometry g)
    {
        if (!_classByName.TryGetValue(name, out var c))
        {
            c = new ObjClass(name, g.Kind, Palette.Color(_classes.Count));
            _classes.Add(c);
            _classByName[name] = c;
        }

        return c;
    }

    private TagMeta TagDef(Tag t)
    {
        if (!_tagByName.TryGetValue(t.Name, out var m))
        {
            m = new TagMeta(t.Name, t.Value is null ? TagValueType.None : TagValueType.AnyString);
            _tags.Add(m);
            _tagByName[t.Name] = m;
        }

        return m;
    }

    private void Add(ExportItem item)
    {
        DatasetNames.CheckForExport(item.Dataset, item.Name);
        var dir = Path.Combine(_outDir, DatasetDir(item.Dataset));
        ImageOutput.Write(item, Path.Combine(dir, "img", item.Name), _options);
        var a = item.Annotation;
        var annPath = Path.Combine(dir, "ann", item.Name + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(annPath)!);
        using var fs = new FileStream(annPath, FileMode.Create, FileAccess.Write);
        using var w = new Utf8JsonWriter(fs, Pretty);
        w.WriteStartObject();
        w.WriteString("description", string.Empty);
        WriteTags(w, a.Tags);
        w.WriteStartObject("size");
        w.WriteNumber("height", a.Height);
        w.WriteNumber("width", a.Width);
        w.WriteEndObject();
        w.WriteStartArray("objects");
        foreach (var label in a.Labels)
        {
            var cls = Class(label.ClassName, label.Geometry);
            if (label.Geometry is KeypointsGeometry && cls.Keypoints is null)
            {
                _report.Unsupported("keypoints");
                _report.Warn($"keypoints of class '{cls.Name}' not written: the class has no keypoint template");
                continue;
            }

            if (label.Geometry is MaskGeometry m && m.Rle.Area() == 0)
            {
                _report.Warn("empty masks not written: Supervisely bitmaps cannot be empty");
                _report.Unsupported("mask");
                continue;
            }

            if (label.Confidence is not null)
            {
                _report.Warn("label confidences not written: Supervisely objects have no confidence");
            }

            w.WriteStartObject();
            w.WriteString("classTitle", label.ClassName);
            w.WriteString("geometryType", SlyShapes.Name(label.Geometry.Kind));
            WriteTags(w, label.Tags);
            WriteGeometry(w, label.Geometry, cls);
            w.WriteEndObject();
            _report.Labels++;
        }

        w.WriteEndArray();
        w.WriteEndObject();
        _report.Items++;
    }

    private void WriteTags(Utf8JsonWriter w, IReadOnlyList<Tag> tags)
    {
        w.WriteStartArray("tags");
        foreach (var t in tags)
        {
            var meta = TagDef(t);
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            if (t.Value is null)
            {
                w.WriteNull("value");
            }
            else if (meta.ValueType == TagValueType.AnyNumber && double.TryParse(t.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                using var num = JsonDocument.Parse(t.Value);
                w.WritePropertyName("value");
                num.RootElement.WriteTo(w);
            }
            else
            {
                w.WriteString("value", t.Value);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteGeometry(Utf8JsonWriter w, Geometry g, ObjClass cls)
    {
        switch (g)
        {
            case RectangleGeometry r:
                w.WriteStartObject("points");
                w.WriteStartArray("exterior");
                Point(w, new PointD(r.Box.Left, r.Box.Top));
                Point(w, new PointD(r.Box.Right - 1, r.Box.Bottom - 1));
                w.WriteEndArray();
                w.WriteStartArray("interior");
                w.WriteEndArray();
                w.WriteEndObject();
                break;
            case PolygonGeometry p:
                w.WriteStartObject("points");
                Ring(w, "exterior", p.Exterior);
                w.WriteStartArray("interior");
                foreach (var hole in p.Interiors)
                {
                    Ring(w, null, hole);
                }

                w.WriteEndArray();
                w.WriteEndObject();
                break;
            case PolylineGeometry l:
                w.WriteStartObject("points");
                Ring(w, "exterior", l.Points);
                w.WriteStartArray("interior");
                w.WriteEndArray();
                w.WriteEndObject();
                break;
            case PointGeometry pt:
                w.WriteStartObject("points");
                Ring(w, "exterior", [pt.Point]);
                w.WriteStartArray("interior");
                w.WriteEndArray();
                w.WriteEndObject();
                break;
            case MaskGeometry m:
                var (data, x, y) = SlyBitmap.Encode(m.Rle)!.Value;
                w.WriteStartObject("bitmap");
                w.WriteString("data", data);
                w.WriteStartArray("origin");
                w.WriteNumberValue(x);
                w.WriteNumberValue(y);
                w.WriteEndArray();
                w.WriteEndObject();
                break;
            case KeypointsGeometry k:
                w.WriteStartObject("nodes");
                for (var i = 0; i < k.Nodes.Count && i < cls.Keypoints!.Nodes.Count; i++)
                {
                    var n = k.Nodes[i];
                    if (n.Visibility == 0)
                    {
                        continue;
                    }

                    w.WriteStartObject(i.ToString(CultureInfo.InvariantCulture));
                    w.WriteStartArray("loc");
                    w.WriteNumberValue(n.X);
                    w.WriteNumberValue(n.Y);
                    w.WriteEndArray();
                    if (n.Visibility == 1)
                    {
                        w.WriteBoolean("disabled", true);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
                break;
            default:
                throw new InvalidOperationException($"no Supervisely geometry for {g.Kind}");
        }
    }

    private static void Ring(Utf8JsonWriter w, string? name, IReadOnlyList<PointD> points)
    {
        if (name is null)
        {
            w.WriteStartArray();
        }
        else
        {
            w.WriteStartArray(name);
        }

        foreach (var p in points)
        {
            Point(w, p);
        }

        w.WriteEndArray();
    }

    private static void Point(Utf8JsonWriter w, PointD p)
    {
        w.WriteStartArray();
        w.WriteNumberValue(p.X);
        w.WriteNumberValue(p.Y);
        w.WriteEndArray();
    }

    private void WriteMeta()
    {
        using var fs = new FileStream(Path.Combine(_outDir, "meta.json"), FileMode.Create, FileAccess.Write);
        using var w = new Utf8JsonWriter(fs, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteStartArray("classes");
        foreach (var c in _classes)
        {
            w.WriteStartObject();
            w.WriteString("title", c.Name);
            w.WriteString("shape", SlyShapes.Name(c.Shape));
            w.WriteString("color", c.Color);
            if (c.Keypoints is { } k)
            {
                w.WriteStartObject("geometry_config");
                w.WriteStartObject("nodes");
                for (var i = 0; i < k.Nodes.Count; i++)
                {
                    w.WriteStartObject(i.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("label", k.Nodes[i]);
                    w.WriteStartArray("loc");
                    w.WriteNumberValue(i * 10);
                    w.WriteNumberValue(0);
                    w.WriteEndArray();
                    w.WriteString("color", c.Color);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
                w.WriteStartArray("edges");
                foreach (var e in k.Edges)
                {
                    w.WriteStartObject();
                    w.WriteString("src", e.From.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("dst", e.To.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("color", c.Color);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("tags");
        foreach (var t in _tags)
        {
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            w.WriteString("value_type", SlyShapes.TagType(t.ValueType));
            w.WriteString("color", t.Color ?? "#888888");
            if (t.PossibleValues is { Count: > 0 } values)
            {
                w.WriteStartArray("values");
                foreach (var v in values)
                {
                    w.WriteStringValue(v);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("projectType", "images");
        w.WriteEndObject();
    }
}
