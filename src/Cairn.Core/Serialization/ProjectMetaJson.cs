using System.Buffers;
using System.Text;
using System.Text.Json;
using Cairn.Core.Model;

namespace Cairn.Core.Serialization;

/// <summary>Canonical JSON of a project meta (classes and tag definitions).</summary>
public static class ProjectMetaJson
{
    /// <summary>Serialises to canonical UTF-8 JSON.</summary>
    public static byte[] ToUtf8(ProjectMeta meta)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", 1);
            w.WriteStartArray("classes");
            foreach (var c in meta.Classes)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("shape", ShapeName(c.Shape));
                w.WriteString("color", c.Color);
                if (c.Supercategory is not null)
                {
                    w.WriteString("supercategory", c.Supercategory);
                }

                if (c.Keypoints is { } k)
                {
                    w.WriteStartArray("nodes");
                    foreach (var n in k.Nodes)
                    {
                        w.WriteStringValue(n);
                    }

                    w.WriteEndArray();
                    w.WriteStartArray("edges");
                    foreach (var e in k.Edges)
                    {
                        w.WriteStartArray();
                        w.WriteNumberValue(e.From);
                        w.WriteNumberValue(e.To);
                        w.WriteEndArray();
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("tags");
            foreach (var t in meta.Tags)
            {
                w.WriteStartObject();
                w.WriteString("name", t.Name);
                w.WriteString("type", t.ValueType switch
                {
                    TagValueType.None => "none",
                    TagValueType.AnyString => "any_string",
                    TagValueType.AnyNumber => "any_number",
                    _ => "oneof_string",
                });
                if (t.PossibleValues is { Count: > 0 } values)
                {
                    w.WriteStartArray("values");
                    foreach (var v in values)
                    {
                        w.WriteStringValue(v);
                    }

                    w.WriteEndArray();
                }

                if (t.Color is not null)
                {
                    w.WriteString("color", t.Color);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Serialises to a canonical JSON string.</summary>
    public static string ToJson(ProjectMeta meta) => Encoding.UTF8.GetString(ToUtf8(meta));

    /// <summary>The wire name of a shape.</summary>
    public static string ShapeName(GeometryKind kind) => kind switch
    {
        GeometryKind.Rectangle => "rectangle",
        GeometryKind.Polygon => "polygon",
        GeometryKind.Mask => "mask",
        GeometryKind.Point => "point",
        GeometryKind.Polyline => "polyline",
        GeometryKind.Keypoints => "keypoints",
        _ => "any",
    };

    /// <summary>Parses a shape's wire name.</summary>
    public static GeometryKind ParseShape(string? name) => name switch
    {
        "rectangle" => GeometryKind.Rectangle,
        "polygon" => GeometryKind.Polygon,
        "mask" => GeometryKind.Mask,
        "point" => GeometryKind.Point,
        "polyline" => GeometryKind.Polyline,
        "keypoints" => GeometryKind.Keypoints,
        "any" or null => GeometryKind.Any,
        _ => throw new FormatException($"Unknown shape '{name}': expected rectangle, polygon, mask, point, polyline, keypoints or any."),
    };

    /// <summary>Parses the canonical form.</summary>
    public static ProjectMeta Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var classes = new List<ObjClass>();
        foreach (var c in root.GetProperty("classes").EnumerateArray())
        {
            KeypointTemplate? k = null;
            if (c.TryGetProperty("nodes", out var nodes))
            {
                var edges = c.TryGetProperty("edges", out var es)
                    ? es.EnumerateArray().Select(e => new KeypointEdge(e[0].GetInt32(), e[1].GetInt32())).ToArray()
                    : [];
                k = new KeypointTemplate(nodes.EnumerateArray().Select(n => n.GetString()!).ToArray(), edges);
            }

            var super = c.TryGetProperty("supercategory", out var sc) ? sc.GetString() : null;
            classes.Add(new ObjClass(c.GetProperty("name").GetString()!, ParseShape(c.GetProperty("shape").GetString()), c.GetProperty("color").GetString()!, k, super));
        }

        var tags = new List<TagMeta>();
        foreach (var t in root.GetProperty("tags").EnumerateArray())
        {
            var type = t.GetProperty("type").GetString() switch
            {
                "none" => TagValueType.None,
                "any_string" => TagValueType.AnyString,
                "any_number" => TagValueType.AnyNumber,
                _ => TagValueType.OneOf,
            };
            var values = t.TryGetProperty("values", out var vs) ? vs.EnumerateArray().Select(v => v.GetString()!).ToArray() : null;
            tags.Add(new TagMeta(t.GetProperty("name").GetString()!, type, values, t.TryGetProperty("color", out var col) ? col.GetString() : null));
        }

        return new ProjectMeta(classes, tags);
    }
}
