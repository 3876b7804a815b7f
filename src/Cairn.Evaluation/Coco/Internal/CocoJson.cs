using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Cairn.Core.Formats;
using Cairn.Core.Masks;

namespace Cairn.Evaluation.Coco.Internal;

/// <summary>
/// Forward-only COCO readers over the file's UTF-8 bytes (Utf8JsonReader): no DOM, no reflection,
/// one pass. Errors name the file and the JSON path of the offending value.
/// </summary>
internal static class CocoJson
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 };

    public static (List<CocoImage> Images, List<CocoCategory> Categories, List<CocoAnnotation> Annotations) ReadDataset(ReadOnlySpan<byte> json, string file)
    {
        var images = new List<CocoImage>();
        var categories = new List<CocoCategory>();
        var annotations = new List<CocoAnnotation>();
        var r = new Utf8JsonReader(json, Options);
        try
        {
            Next(ref r, file, JsonLoc.Root);
            if (r.TokenType != JsonTokenType.StartObject)
            {
                Fail(file, JsonLoc.Root, $"expected a JSON object with images, annotations and categories, found {r.TokenType}");
            }

            var sawImages = false;
            while (Next(ref r, file, JsonLoc.Root) && r.TokenType != JsonTokenType.EndObject)
            {
                if (r.ValueTextEquals("images"u8))
                {
                    sawImages = true;
                    ReadArray(ref r, file, new JsonLoc("$.images"), images, static (ref Utf8JsonReader rr, string f, JsonLoc loc) => ReadImage(ref rr, f, loc));
                }
                else if (r.ValueTextEquals("annotations"u8))
                {
                    ReadArray(ref r, file, new JsonLoc("$.annotations"), annotations, static (ref Utf8JsonReader rr, string f, JsonLoc loc) => ReadAnnotation(ref rr, f, loc));
                }
                else if (r.ValueTextEquals("categories"u8))
                {
                    ReadArray(ref r, file, new JsonLoc("$.categories"), categories, static (ref Utf8JsonReader rr, string f, JsonLoc loc) => ReadCategory(ref rr, f, loc));
                }
                else
                {
                    Next(ref r, file, JsonLoc.Root);
                    r.Skip();
                }
            }

            if (!sawImages)
            {
                Fail(file, JsonLoc.Root, "no \"images\" array: a COCO ground truth lists its images");
            }
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException(file, $"line {(e.LineNumber ?? 0) + 1}", $"malformed JSON: {e.Message}", e);
        }

        return (images, categories, annotations);
    }

    public static List<CocoDetection> ReadDetections(ReadOnlySpan<byte> json, string file)
    {
        var list = new List<CocoDetection>(Math.Max(16, json.Length / 90));
        var r = new Utf8JsonReader(json, Options);
        try
        {
            Next(ref r, file, JsonLoc.Root);
            if (r.TokenType != JsonTokenType.StartArray)
            {
                Fail(file, JsonLoc.Root, $"expected a JSON array of results ({{image_id, category_id, score, bbox | segmentation}}), found {r.TokenType}");
            }

            var i = 0;
            while (Next(ref r, file, JsonLoc.Root) && r.TokenType != JsonTokenType.EndArray)
            {
                list.Add(ReadDetection(ref r, file, i));
                i++;
            }
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException(file, $"line {(e.LineNumber ?? 0) + 1}", $"malformed JSON: {e.Message}", e);
        }

        return list;
    }

    private delegate T ItemReader<T>(ref Utf8JsonReader r, string file, JsonLoc location);

    private static void ReadArray<T>(ref Utf8JsonReader r, string file, JsonLoc location, List<T> into, ItemReader<T> item)
    {
        Next(ref r, file, location);
        if (r.TokenType != JsonTokenType.StartArray)
        {
            Fail(file, location, $"expected an array, found {r.TokenType}");
        }

        var i = 0;
        while (Next(ref r, file, location) && r.TokenType != JsonTokenType.EndArray)
        {
            into.Add(item(ref r, file, location.At(i)));
            i++;
        }
    }

    private static CocoImage ReadImage(ref Utf8JsonReader r, string file, JsonLoc loc)
    {
        ExpectObject(ref r, file, loc);
        long? id = null;
        int width = 0, height = 0;
        var name = string.Empty;
        while (Next(ref r, file, loc) && r.TokenType != JsonTokenType.EndObject)
        {
            if (r.ValueTextEquals("id"u8))
            {
                id = ReadId(ref r, file, loc.Key(".id"));
            }
            else if (r.ValueTextEquals("width"u8))
            {
                width = ReadInt(ref r, file, loc.Key(".width"));
            }
            else if (r.ValueTextEquals("height"u8))
            {
                height = ReadInt(ref r, file, loc.Key(".height"));
            }
            else if (r.ValueTextEquals("file_name"u8))
            {
                Next(ref r, file, loc);
                name = r.TokenType == JsonTokenType.String ? r.GetString() ?? string.Empty : string.Empty;
            }
            else
            {
                Next(ref r, file, loc);
                r.Skip();
            }
        }

        if (id is null)
        {
            Fail(file, loc, "image has no \"id\"");
        }

        return new CocoImage(id.Value, width, height, name);
    }

    private static CocoCategory ReadCategory(ref Utf8JsonReader r, string file, JsonLoc loc)
    {
        ExpectObject(ref r, file, loc);
        long? id = null;
        string name = string.Empty;
        string? super = null;
        while (Next(ref r, file, loc) && r.TokenType != JsonTokenType.EndObject)
        {
            if (r.ValueTextEquals("id"u8))
            {
                id = ReadId(ref r, file, loc.Key(".id"));
            }
            else if (r.ValueTextEquals("name"u8))
            {
                Next(ref r, file, loc);
                name = r.TokenType == JsonTokenType.String ? r.GetString() ?? string.Empty : string.Empty;
            }
            else if (r.ValueTextEquals("supercategory"u8))
            {
                Next(ref r, file, loc);
                super = r.TokenType == JsonTokenType.String ? r.GetString() : null;
            }
            else
            {
                Next(ref r, file, loc);
                r.Skip();
            }
        }

        if (id is null)
        {
            Fail(file, loc, "category has no \"id\"");
        }

        return new CocoCategory(id.Value, name.Length == 0 ? id.Value.ToString() : name, super);
    }

    private static CocoAnnotation ReadAnnotation(ref Utf8JsonReader r, string file, JsonLoc loc)
    {
        ExpectObject(ref r, file, loc);
        long? id = null, image = null, category = null;
        CocoBox? box = null;
        double? area = null;
        var crowd = false;
        CocoSegmentation? seg = null;
        while (Next(ref r, file, loc) && r.TokenType != JsonTokenType.EndObject)
        {
            if (r.ValueTextEquals("id"u8))
            {
                id = ReadId(ref r, file, loc.Key(".id"));
            }
            else if (r.ValueTextEquals("image_id"u8))
            {
                image = ReadId(ref r, file, loc.Key(".image_id"));
            }
            else if (r.ValueTextEquals("category_id"u8))
            {
                category = ReadId(ref r, file, loc.Key(".category_id"));
            }
            else if (r.ValueTextEquals("bbox"u8))
            {
                box = ReadBox(ref r, file, loc.Key(".bbox"));
            }
            else if (r.ValueTextEquals("area"u8))
            {
                area = ReadDouble(ref r, file, loc.Key(".area"));
            }
            else if (r.ValueTextEquals("iscrowd"u8))
            {
                Next(ref r, file, loc);
                crowd = r.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False or JsonTokenType.Null => false,
                    JsonTokenType.Number => r.GetDouble() != 0,
                    _ => Fail<bool>(file, loc.Key(".iscrowd"), $"expected 0/1 or a boolean, found {r.TokenType}"),
                };
            }
            else if (r.ValueTextEquals("segmentation"u8))
            {
                seg = ReadSegmentation(ref r, file, loc.Key(".segmentation"));
            }
            else
            {
                Next(ref r, file, loc);
                r.Skip();
            }
        }

        if (id is null)
        {
            Fail(file, loc, "annotation has no \"id\"");
        }

        if (image is null)
        {
            Fail(file, loc, "annotation has no \"image_id\"");
        }

        if (category is null)
        {
            Fail(file, loc, "annotation has no \"category_id\"");
        }

        if (area is null)
        {
            Fail(file, loc, "annotation has no \"area\" (COCOeval takes the small/medium/large range from it)");
        }

        if (box is null)
        {
            Fail(file, loc, "annotation has no \"bbox\" [x, y, width, height]");
        }

        return new CocoAnnotation(id.Value, image.Value, category.Value, box.Value, area.Value, crowd, seg);
    }

    private static CocoDetection ReadDetection(ref Utf8JsonReader r, string file, int index)
    {
        if (r.TokenType != JsonTokenType.StartObject)
        {
            Fail(file, new JsonLoc("$", index), $"expected a result object, found {r.TokenType}");
        }

        long? image = null, category = null;
        double? score = null;
        CocoBox? box = null;
        CocoSegmentation? seg = null;
        while (Next(ref r, file, new JsonLoc("$", index)) && r.TokenType != JsonTokenType.EndObject)
        {
            if (r.ValueTextEquals("image_id"u8))
            {
                image = ReadId(ref r, file, new JsonLoc("$", index, ".image_id"));
            }
            else if (r.ValueTextEquals("category_id"u8))
            {
                category = ReadId(ref r, file, new JsonLoc("$", index, ".category_id"));
            }
            else if (r.ValueTextEquals("score"u8))
            {
                score = ReadDouble(ref r, file, new JsonLoc("$", index, ".score"));
            }
            else if (r.ValueTextEquals("bbox"u8))
            {
                box = ReadBox(ref r, file, new JsonLoc("$", index, ".bbox"), allowEmpty: true);
            }
            else if (r.ValueTextEquals("segmentation"u8))
            {
                seg = ReadSegmentation(ref r, file, new JsonLoc("$", index, ".segmentation"));
            }
            else
            {
                Next(ref r, file, new JsonLoc("$", index));
                r.Skip();
            }
        }

        if (image is null)
        {
            Fail(file, new JsonLoc("$", index), "result has no \"image_id\"");
        }

        if (category is null)
        {
            Fail(file, new JsonLoc("$", index), "result has no \"category_id\"");
        }

        if (score is null)
        {
            Fail(file, new JsonLoc("$", index), "result has no \"score\" (a confidence number is needed to rank detections)");
        }

        if (box is null && seg is null)
        {
            Fail(file, new JsonLoc("$", index), "result has neither \"bbox\" nor \"segmentation\"");
        }

        return new CocoDetection(image.Value, category.Value, score.Value, box, seg);
    }

    private static CocoBox? ReadBox(ref Utf8JsonReader r, string file, JsonLoc loc, bool allowEmpty = false)
    {
        Next(ref r, file, loc);
        if (r.TokenType != JsonTokenType.StartArray)
        {
            Fail(file, loc, $"expected [x, y, width, height], found {r.TokenType}");
        }

        Span<double> v = stackalloc double[4];
        var n = 0;
        while (Next(ref r, file, loc) && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.Number || n == 4)
            {
                Fail(file, loc, "expected [x, y, width, height]: four numbers");
            }

            v[n++] = r.GetDouble();
        }

        if (n == 0 && allowEmpty)
        {
            return null;
        }

        if (n != 4)
        {
            Fail(file, loc, $"expected [x, y, width, height]: four numbers, found {n}");
        }

        return new CocoBox(v[0], v[1], v[2], v[3]);
    }

    private static CocoSegmentation ReadSegmentation(ref Utf8JsonReader r, string file, JsonLoc loc)
    {
        Next(ref r, file, loc);
        if (r.TokenType == JsonTokenType.StartArray)
        {
            var polygons = new List<double[]>(1);
            var coords = new List<double>(32);
            var pi = 0;
            while (Next(ref r, file, loc) && r.TokenType != JsonTokenType.EndArray)
            {
                var ploc = loc.Sub(pi);
                if (r.TokenType != JsonTokenType.StartArray)
                {
                    Fail(file, ploc, $"expected a polygon [x0, y0, x1, y1, ...], found {r.TokenType}");
                }

                coords.Clear();
                while (Next(ref r, file, ploc) && r.TokenType != JsonTokenType.EndArray)
                {
                    if (r.TokenType != JsonTokenType.Number)
                    {
                        Fail(file, ploc, $"expected polygon coordinates as numbers, found {r.TokenType}");
                    }

                    coords.Add(r.GetDouble());
                }

                if (coords.Count % 2 != 0)
                {
                    Fail(file, ploc, $"a polygon needs an even number of coordinates, found {coords.Count}");
                }

                polygons.Add([.. coords]);
                pi++;
            }

            return CocoSegmentation.FromPolygons(polygons);
        }

        if (r.TokenType != JsonTokenType.StartObject)
        {
            Fail(file, loc, $"expected polygons or an RLE {{size, counts}}, found {r.TokenType}");
        }

        int h = -1, w = -1;
        uint[]? counts = null;
        byte[]? compressed = null;
        while (Next(ref r, file, loc) && r.TokenType != JsonTokenType.EndObject)
        {
            if (r.ValueTextEquals("size"u8))
            {
                Next(ref r, file, loc);
                if (r.TokenType != JsonTokenType.StartArray)
                {
                    Fail(file, loc.Key(".size"), "expected [height, width]");
                }

                h = ReadInt(ref r, file, loc.Key(".size[0]"));
                w = ReadInt(ref r, file, loc.Key(".size[1]"));
                Next(ref r, file, loc);
                if (r.TokenType != JsonTokenType.EndArray)
                {
                    Fail(file, loc.Key(".size"), "expected [height, width]: two numbers");
                }
            }
            else if (r.ValueTextEquals("counts"u8))
            {
                Next(ref r, file, loc);
                if (r.TokenType == JsonTokenType.String)
                {
                    compressed = r.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(r.GetString()!) : r.ValueSpan.ToArray();
                }
                else if (r.TokenType == JsonTokenType.StartArray)
                {
                    var list = new List<uint>();
                    while (Next(ref r, file, loc) && r.TokenType != JsonTokenType.EndArray)
                    {
                        if (r.TokenType != JsonTokenType.Number || !r.TryGetUInt32(out var c))
                        {
                            Fail(file, loc.Key(".counts"), "expected a non-negative integer run length");
                            return null!;
                        }

                        list.Add(c);
                    }

                    counts = [.. list];
                }
                else
                {
                    Fail(file, loc.Key(".counts"), $"expected a compressed RLE string or a list of run lengths, found {r.TokenType}");
                }
            }
            else
            {
                Next(ref r, file, loc);
                r.Skip();
            }
        }

        if (h < 0 || w < 0)
        {
            Fail(file, loc, "RLE has no \"size\" [height, width]");
        }

        if (compressed is not null)
        {
            if (!RleOps.TryDecodeCompressed(compressed, h, w, out var decoded, out var error))
            {
                Fail(file, loc.Key(".counts"), $"malformed RLE: {error}");
            }

            return CocoSegmentation.FromMask(new Rle(h, w, decoded));
        }

        if (counts is null)
        {
            Fail(file, loc, "RLE has no \"counts\"");
        }

        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }

        if (total != (long)h * w)
        {
            Fail(file, loc.Key(".counts"), $"malformed RLE: counts sum to {total}, expected height × width = {h} × {w} = {(long)h * w}");
        }

        return CocoSegmentation.FromMask(new Rle(h, w, counts));
    }

    private static long ReadId(ref Utf8JsonReader r, string file, JsonLoc loc)
    {
        Next(ref r, file, loc);
        if (r.TokenType != JsonTokenType.Number)
        {
            Fail(file, loc, $"expected an integer id, found {r.TokenType}");
        }

        if (r.TryGetInt64(out var v))
        {
            return v;
        }

        var d = r.GetDouble();
        if (d == Math.Floor(d) && Math.Abs(d) < 9e15)
        {
            return (long)d;
        }

        return Fail<long>(file, loc, $"expected an integer id, found {d}");
    }

    private static int ReadInt(ref Utf8JsonReader r, string file, JsonLoc loc)
    {
        Next(ref r, file, loc);
        if (r.TokenType != JsonTokenType.Number || !r.TryGetInt32(out var v))
        {
            var d = r.TokenType == JsonTokenType.Number ? r.GetDouble() : double.NaN;
            if (d == Math.Floor(d) && Math.Abs(d) < int.MaxValue)
            {
                return (int)d;
            }

            return Fail<int>(file, loc, $"expected an integer, found {r.TokenType}");
        }

        return v;
    }

    private static double ReadDouble(ref Utf8JsonReader r, string file, JsonLoc loc)
    {
        Next(ref r, file, loc);
        if (r.TokenType != JsonTokenType.Number)
        {
            Fail(file, loc, $"expected a number, found {r.TokenType}");
        }

        return r.GetDouble();
    }

    private static void ExpectObject(ref Utf8JsonReader r, string file, JsonLoc loc)
    {
        if (r.TokenType != JsonTokenType.StartObject)
        {
            Fail(file, loc, $"expected an object, found {r.TokenType}");
        }
    }

    private static bool Next(ref Utf8JsonReader r, string file, JsonLoc loc)
    {
        if (!r.Read())
        {
            Fail(file, loc, "unexpected end of file");
        }

        return true;
    }

    [DoesNotReturn]
    private static void Fail(string file, JsonLoc loc, string message) => throw new DatasetFormatException(file, loc.ToString(), message);

    [DoesNotReturn]
    private static T Fail<T>(string file, JsonLoc loc, string message) => throw new DatasetFormatException(file, loc.ToString(), message);
}
