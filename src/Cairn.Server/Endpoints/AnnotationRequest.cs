using System.Text.Json;
using Cairn.Core.Masks;
using Cairn.Core.Model;
using Cairn.Core.Serialization;

namespace Cairn.Server.Endpoints;

/// <summary>
/// An annotation document sent by a client, checked before anything is changed: its shape (every field where the
/// canonical form has it, numbers finite, polygons of three points or more), its size against the item's image, and
/// its classes against the project's.
/// </summary>
public static class AnnotationRequest
{
    /// <summary>What is wrong with a body: the JSON path of the field, what was expected there, and whether the body was well formed but refused (422) rather than malformed (400).</summary>
    public sealed record Error(string Field, string Expected, bool Unprocessable = false);

    private static readonly string[] Types = ["rectangle", "polygon", "mask", "point", "polyline", "keypoints"];

    /// <summary>The annotation, or null with <paramref name="error"/> set.</summary>
    public static Annotation? TryRead(JsonElement body, ProjectMeta meta, int width, int height, out Error? error)
    {
        error = Check(body, meta, width, height);
        return error is null ? AnnotationJson.Read(body) : null;
    }

    private static Error? Check(JsonElement body, ProjectMeta meta, int width, int height)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return new("$", "a JSON object {\"w\":…,\"h\":…,\"labels\":[{\"class\":…,\"type\":…,…}]}");
        }

        var e = Integer(body, "w", "$", width) ?? Integer(body, "h", "$", height) ?? Tags(body, "$");
        if (e is not null)
        {
            return e;
        }

        if (!body.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Array)
        {
            return new("labels", "an array of labels (empty for none)");
        }

        var classes = meta.Classes.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var i = 0;
        foreach (var l in labels.EnumerateArray())
        {
            var at = $"labels[{i++}]";
            if (l.ValueKind != JsonValueKind.Object)
            {
                return new(at, "a label object {\"class\":…,\"type\":…,…}");
            }

            if (!l.TryGetProperty("class", out var c) || c.ValueKind != JsonValueKind.String)
            {
                return new($"{at}.class", "the class name, a string");
            }

            if (!classes.Contains(c.GetString()!))
            {
                return new($"{at}.class", classes.Count == 0
                    ? $"a class of the project, which has none; got \"{c.GetString()}\""
                    : $"one of the project's classes ({string.Join(", ", meta.Classes.Select(x => x.Name))}); got \"{c.GetString()}\"", Unprocessable: true);
            }

            if (!l.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || !Types.Contains(type.GetString(), StringComparer.Ordinal))
            {
                return new($"{at}.type", $"one of {string.Join(", ", Types)}");
            }

            e = type.GetString() switch
            {
                "rectangle" => Box(l, at),
                "polygon" => Points(l, "exterior", at, 3) ?? Holes(l, at),
                "mask" => Mask(l, at),
                "point" => Numbers(l, "xy", at, 2, 2, "[x, y]"),
                "polyline" => Points(l, "points", at, 2),
                _ => Keypoints(l, at),
            };
            e ??= Tags(l, at);
            if (e is null && l.TryGetProperty("conf", out var conf) && (conf.ValueKind != JsonValueKind.Number || conf.GetDouble() is < 0 or > 1))
            {
                e = new($"{at}.conf", "a confidence from 0 to 1");
            }

            if (e is not null)
            {
                return e;
            }
        }

        return null;
    }

    private static Error? Integer(JsonElement o, string name, string at, int expected) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n == expected
            ? null
            : new(Path(at, name), $"the image's {(name == "w" ? "width" : "height")} in pixels, {expected}");

    private static string Path(string at, string name) => at == "$" ? name : $"{at}.{name}";

    // Property name of o as an array of finite numbers whose length is between min and max and a multiple of step.
    private static Error? Numbers(JsonElement o, string name, string at, int min, int max, string what, int step = 1) =>
        o.TryGetProperty(name, out var a) ? NumberArray(a, Path(at, name), min, max, what, step) : new(Path(at, name), what);

    private static Error? NumberArray(JsonElement a, string field, int min, int max, string what, int step) =>
        a.ValueKind == JsonValueKind.Array && a.GetArrayLength() is var n && n >= min && n <= max && n % step == 0
            && a.EnumerateArray().All(x => x.ValueKind == JsonValueKind.Number && double.IsFinite(x.GetDouble()))
            ? null
            : new(field, what);

    private static string PointsWanted(int min) => $"[x1, y1, x2, y2, …]: at least {min} points as pairs of numbers";

    private static Error? Points(JsonElement o, string name, string at, int min) =>
        Numbers(o, name, at, 2 * min, int.MaxValue, PointsWanted(min), 2);

    private static Error? Box(JsonElement l, string at)
    {
        if (Numbers(l, "box", at, 4, 4, "[left, top, right, bottom], four numbers") is { } e)
        {
            return e;
        }

        var b = l.GetProperty("box");
        return b[0].GetDouble() <= b[2].GetDouble() && b[1].GetDouble() <= b[3].GetDouble() ? null : new($"{at}.box", "[left, top, right, bottom] with left ≤ right and top ≤ bottom");
    }

    private static Error? Holes(JsonElement l, string at)
    {
        if (!l.TryGetProperty("interiors", out var holes))
        {
            return null;
        }

        if (holes.ValueKind != JsonValueKind.Array)
        {
            return new($"{at}.interiors", "an array of holes, each [x1, y1, x2, y2, …]");
        }

        var i = 0;
        return holes.EnumerateArray().Select(h => NumberArray(h, $"{at}.interiors[{i++}]", 6, int.MaxValue, PointsWanted(3), 2)).FirstOrDefault(e => e is not null);
    }

    private static Error? Mask(JsonElement l, string at)
    {
        foreach (var name in (string[])["mh", "mw"])
        {
            if (!l.TryGetProperty(name, out var v) || !v.TryGetInt32(out var n) || n < 1)
            {
                return new($"{at}.{name}", $"the mask's {(name == "mh" ? "height" : "width")} in pixels, a positive integer");
            }
        }

        try
        {
            if (l.TryGetProperty("rle", out var rle) && rle.ValueKind == JsonValueKind.String)
            {
                _ = Rle.FromCompressedString(rle.GetString()!, l.GetProperty("mh").GetInt32(), l.GetProperty("mw").GetInt32());
                return null;
            }
        }
        catch (Exception x) when (x is FormatException or ArgumentException or IndexOutOfRangeException)
        {
        }

        return new($"{at}.rle", "the mask as a COCO compressed RLE string of mh × mw pixels");
    }

    private static Error? Keypoints(JsonElement l, string at)
    {
        if (Numbers(l, "nodes", at, 3, int.MaxValue, "[x, y, visibility, …]: three numbers per keypoint", 3) is { } e)
        {
            return e;
        }

        var nodes = l.GetProperty("nodes");
        for (var i = 2; i < nodes.GetArrayLength(); i += 3)
        {
            if (!nodes[i].TryGetInt32(out var v) || v is < 0 or > 2)
            {
                return new($"{at}.nodes[{i}]", "a visibility: 0 (not labelled), 1 (hidden) or 2 (visible)");
            }
        }

        return null;
    }

    private static Error? Tags(JsonElement o, string at)
    {
        if (!o.TryGetProperty("tags", out var tags))
        {
            return null;
        }

        var ok = tags.ValueKind == JsonValueKind.Array && tags.EnumerateArray().All(t =>
            t.ValueKind == JsonValueKind.Array && t.GetArrayLength() is 1 or 2 && t.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String));
        return ok ? null : new(Path(at, "tags"), "an array of tags, each [name] or [name, value] of strings");
    }
}
