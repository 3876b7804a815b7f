using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static List<CocoDetection> ReadDetections(ReadOnlySpan<byte> json, string file)
    {
        var list = new List<CocoDetection>(Math.Max(16, json.Length / 400));
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

    /// <summary>
    /// Parses a large results file on several threads: the array is cut at element starts (a '{' after "}," — a
    /// segmentation object's '{' follows a ':'), and each piece is read element by element. Any failure, including a
    /// cut that was not really an element start, falls back to the one-thread reader, which then reports the error
    /// with its exact JSON path.
    /// </summary>
    public static CocoDetection[] ReadDetectionsParallel(byte[] json, string file, int minBytes = 8 << 20, int? pieces = null)
    {
        var parts = pieces ?? Math.Min(16, Environment.ProcessorCount * 2);
        if (json.Length < minBytes || parts < 2)
        {
            return [.. ReadDetections(json, file)];
        }

        var start = 0;
        while (start < json.Length && (json[start] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' || json[start] >= 0x80))
        {
            start++; // whitespace and a UTF-8 byte-order mark
        }

        if (start >= json.Length || json[start] != '[')
        {
            return [.. ReadDetections(json, file)];
        }

        var cuts = new List<int> { start + 1 };
        for (var p = 1; p < parts; p++)
        {
            var c = FindElementStart(json, Math.Max(cuts[^1] + 1, (int)((long)json.Length * p / parts)));
            if (c > 0)
            {
                cuts.Add(c);
            }
        }

        cuts.Add(json.Length);
        var chunks = new List<CocoDetection>?[cuts.Count - 1];
        var ok = true;
        Parallel.For(0, chunks.Length, i =>
        {
            try
            {
                chunks[i] = ReadPiece(json, cuts[i], cuts[i + 1], last: i == chunks.Length - 1, file);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                chunks[i] = null;
            }

            if (chunks[i] is null)
            {
                ok = false;
            }
        });
        if (!ok)
        {
            return [.. ReadDetections(json, file)];
        }

        var result = new CocoDetection[chunks.Sum(x => x!.Count)];
        var at = 0;
        foreach (var piece in chunks)
        {
            piece!.CopyTo(result, at);
            at += piece.Count;
        }

        return result;
    }

    private static int FindElementStart(byte[] json, int from)
    {
        var span = json.AsSpan();
        var i = from;
        while (i < json.Length)
        {
            var k = span[i..].IndexOf((byte)'{');
            if (k < 0)
            {
                return -1;
            }

            i += k;
            var j = i - 1;
            while (j > 0 && json[j] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                j--;
            }

            if (j > 0 && json[j] == ',')
            {
                j--;
                while (j > 0 && json[j] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
                {
                    j--;
                }

                if (json[j] == '}')
                {
                    return i;
                }
            }

            i++;
        }

        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<CocoDetection>? ReadPiece(byte[] json, int start, int end, bool last, string file)
    {
        var list = new List<CocoDetection>(Math.Max(16, (end - start) / 400));
        var pos = start;
        while (true)
        {
            while (pos < end && json[pos] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                pos++;
            }

            if (pos >= end)
            {
                return last ? null : list; // the last piece must close the array
            }

            if (json[pos] == ']')
            {
                return last && TrailingOnlyWhitespace(json, pos + 1) ? list : null;
            }

            if (json[pos] != '{')
            {
                return null;
            }

            var r = new Utf8JsonReader(json.AsSpan(pos, end - pos), Options);
            r.Read();
            list.Add(ReadDetection(ref r, file, list.Count));
            pos += (int)r.BytesConsumed;
            while (pos < end && json[pos] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                pos++;
            }

            if (pos < end && json[pos] == ',')
            {
                pos++;
            }
            else if (!(pos < end && json[pos] == ']'))
            {
                return null;
            }
        }
    }

    private static bool TrailingOnlyWhitespace(byte[] json, int from)
    {
        for (var i = from; i < json.Length; i++)
        {
            if (json[i] is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
            {
                return false;
            }
        }

        return true;
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
                    var ok = r.ValueIsEscaped
                        ? RleOps.TryDecodeCompressedCounts(System.Text.Encoding.UTF8.GetBytes(r.GetString()!), out counts, out var error)
                        : RleOps.TryDecodeCompressedCounts(r.ValueSpan, out counts, out error);
                    if (!ok)
                    {
                        Fail(file, loc.Key(".counts"), $"malformed RLE: {error}");
                    }
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

        if (counts is null)
        {
            Fail(file, loc, "RLE has no \"counts\"");
        }

        if (!RleOps.CheckSize(counts, h, w, out var sizeError))
        {
            Fail(file, loc.Key(".counts"), $"malformed RLE: {sizeError}");
        }

        return CocoSegmentation.FromMask(new Rle(h, w, counts));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
