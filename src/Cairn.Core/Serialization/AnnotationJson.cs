using System.Buffers;
using System.Text;
using System.Text.Json;
using Cairn.Core.Masks;
using Cairn.Core.Model;

namespace Cairn.Core.Serialization;

/// <summary>
/// The canonical JSON form of an annotation, stored in the catalog and hashed into snapshots.
/// Canonical: fixed property order, shortest round-trip numbers, no whitespace — equal annotations give equal bytes.
/// </summary>
public static class AnnotationJson
{
    /// <summary>Format version written as "v"; readers accept this and older versions.</summary>
    public const int FormatVersion = 1;

    /// <summary>Serialises to canonical UTF-8 JSON.</summary>
    public static byte[] ToUtf8(Annotation annotation)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            Write(w, annotation);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Serialises to a canonical JSON string.</summary>
    public static string ToJson(Annotation annotation) => Encoding.UTF8.GetString(ToUtf8(annotation));

    /// <summary>Writes the canonical form.</summary>
    public static void Write(Utf8JsonWriter w, Annotation a)
    {
        w.WriteStartObject();
        w.WriteNumber("v", FormatVersion);
        w.WriteNumber("w", a.Width);
        w.WriteNumber("h", a.Height);
        if (a.Tags.Count > 0)
        {
            WriteTags(w, a.Tags);
        }

        w.WriteStartArray("labels");
        foreach (var l in a.Labels)
        {
            w.WriteStartObject();
            w.WriteString("class", l.ClassName);
            WriteGeometry(w, l.Geometry);
            if (l.Tags.Count > 0)
            {
                WriteTags(w, l.Tags);
            }

            if (l.Confidence is { } conf)
            {
                w.WriteNumber("conf", conf);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteTags(Utf8JsonWriter w, IReadOnlyList<Tag> tags)
    {
        w.WriteStartArray("tags");
        foreach (var t in tags)
        {
            w.WriteStartArray();
            w.WriteStringValue(t.Name);
            if (t.Value is not null)
            {
                w.WriteStringValue(t.Value);
            }

            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private static void WritePoints(Utf8JsonWriter w, IReadOnlyList<PointD> points)
    {
        w.WriteStartArray();
        foreach (var p in points)
        {
            w.WriteNumberValue(p.X);
            w.WriteNumberValue(p.Y);
        }

        w.WriteEndArray();
    }

    private static void WriteGeometry(Utf8JsonWriter w, Geometry g)
    {
        switch (g)
        {
            case RectangleGeometry r:
                w.WriteString("type", "rectangle");
                w.WriteStartArray("box");
                w.WriteNumberValue(r.Box.Left);
                w.WriteNumberValue(r.Box.Top);
                w.WriteNumberValue(r.Box.Right);
                w.WriteNumberValue(r.Box.Bottom);
                w.WriteEndArray();
                break;
            case PolygonGeometry p:
                w.WriteString("type", "polygon");
                w.WritePropertyName("exterior");
                WritePoints(w, p.Exterior);
                if (p.Interiors.Count > 0)
                {
                    w.WriteStartArray("interiors");
                    foreach (var hole in p.Interiors)
                    {
                        WritePoints(w, hole);
                    }

                    w.WriteEndArray();
                }

                break;
            case MaskGeometry m:
                w.WriteString("type", "mask");
                w.WriteNumber("mh", m.Rle.Height);
                w.WriteNumber("mw", m.Rle.Width);
                w.WriteString("rle", m.Rle.ToCompressedString());
                break;
            case PointGeometry pt:
                w.WriteString("type", "point");
                w.WriteStartArray("xy");
                w.WriteNumberValue(pt.Point.X);
                w.WriteNumberValue(pt.Point.Y);
                w.WriteEndArray();
                break;
            case PolylineGeometry pl:
                w.WriteString("type", "polyline");
                w.WritePropertyName("points");
                WritePoints(w, pl.Points);
                break;
            case KeypointsGeometry k:
                w.WriteString("type", "keypoints");
                w.WriteStartArray("nodes");
                foreach (var n in k.Nodes)
                {
                    w.WriteNumberValue(n.X);
                    w.WriteNumberValue(n.Y);
                    w.WriteNumberValue(n.Visibility);
                }

                w.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"Unknown geometry {g.GetType().Name}.");
        }
    }

    /// <summary>Parses the canonical form (stored documents are trusted but still checked for shape).</summary>
    public static Annotation Parse(ReadOnlySpan<byte> utf8)
    {
        using var doc = JsonDocument.Parse(utf8.ToArray());
        return Read(doc.RootElement);
    }

    /// <summary>Parses the canonical form from a string.</summary>
    public static Annotation Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>Reads an annotation from a parsed element.</summary>
    public static Annotation Read(JsonElement e)
    {
        var width = e.GetProperty("w").GetInt32();
        var height = e.GetProperty("h").GetInt32();
        var tags = e.TryGetProperty("tags", out var t) ? ReadTags(t) : [];
        var labels = new List<Label>();
        foreach (var l in e.GetProperty("labels").EnumerateArray())
        {
            var cls = l.GetProperty("class").GetString()!;
            var geometry = ReadGeometry(l);
            var ltags = l.TryGetProperty("tags", out var lt) ? ReadTags(lt) : [];
            double? conf = l.TryGetProperty("conf", out var c) ? c.GetDouble() : null;
            labels.Add(new Label(cls, geometry, ltags, conf));
        }

        return new Annotation(width, height, tags, labels);
    }

    private static Tag[] ReadTags(JsonElement array)
    {
        var tags = new Tag[array.GetArrayLength()];
        var i = 0;
        foreach (var t in array.EnumerateArray())
        {
            var name = t[0].GetString()!;
            var value = t.GetArrayLength() > 1 ? t[1].GetString() : null;
            tags[i++] = new Tag(name, value);
        }

        return tags;
    }

    private static PointD[] ReadPoints(JsonElement array)
    {
        var n = array.GetArrayLength() / 2;
        var points = new PointD[n];
        var it = array.EnumerateArray();
        for (var i = 0; i < n; i++)
        {
            it.MoveNext();
            var x = it.Current.GetDouble();
            it.MoveNext();
            points[i] = new PointD(x, it.Current.GetDouble());
        }

        return points;
    }

    private static Geometry ReadGeometry(JsonElement l)
    {
        var type = l.GetProperty("type").GetString();
        switch (type)
        {
            case "rectangle":
                var b = l.GetProperty("box");
                return new RectangleGeometry(new BoxD(b[0].GetDouble(), b[1].GetDouble(), b[2].GetDouble(), b[3].GetDouble()));
            case "polygon":
                var holes = l.TryGetProperty("interiors", out var ints)
                    ? ints.EnumerateArray().Select(h => (IReadOnlyList<PointD>)ReadPoints(h)).ToArray()
                    : [];
                return new PolygonGeometry(ReadPoints(l.GetProperty("exterior")), holes);
            case "mask":
                return new MaskGeometry(Rle.FromCompressedString(l.GetProperty("rle").GetString()!, l.GetProperty("mh").GetInt32(), l.GetProperty("mw").GetInt32()));
            case "point":
                var xy = l.GetProperty("xy");
                return new PointGeometry(new PointD(xy[0].GetDouble(), xy[1].GetDouble()));
            case "polyline":
                return new PolylineGeometry(ReadPoints(l.GetProperty("points")));
            case "keypoints":
                var arr = l.GetProperty("nodes");
                var n = arr.GetArrayLength() / 3;
                var nodes = new Keypoint[n];
                for (var i = 0; i < n; i++)
                {
                    nodes[i] = new Keypoint(arr[3 * i].GetDouble(), arr[(3 * i) + 1].GetDouble(), arr[(3 * i) + 2].GetInt32());
                }

                return new KeypointsGeometry(nodes);
            default:
                throw new FormatException($"Unknown geometry type '{type}' in annotation document.");
        }
    }
}
