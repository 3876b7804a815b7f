using System.Globalization;
using System.Text.Json;
using Cairn.Core.Formats.Internal;

namespace Cairn.Core.Formats.Coco;

/// <summary>One entry of <c>$.images</c>, as read.</summary>
internal readonly record struct CocoImageRec(int Index, int Offset, long Id, string FileName, int FileNameOffset, long? Width, long? Height);

/// <summary>An RLE segmentation, as read: either the compressed string or the counts.</summary>
internal sealed record CocoRleRec(int Offset, string? Compressed, uint[]? Counts, int CountsOffset, double Height, double Width, int SizeOffset);

/// <summary>One entry of <c>$.annotations</c>, as read (references not yet resolved).</summary>
internal struct CocoAnnRec
{
    public int Index { get; set; }

    public int Offset { get; set; }

    public long? Id { get; set; }

    public long? ImageId { get; set; }

    public int ImageIdOffset { get; set; }

    public long? CategoryId { get; set; }

    public int CategoryIdOffset { get; set; }

    public bool Crowd { get; set; }

    public double? Score { get; set; }

    public double[]? Bbox { get; set; }

    public int BboxOffset { get; set; }

    public List<(double[] Values, int Offset)>? Polygons { get; set; }

    public bool FlatPolygon { get; set; }

    public CocoRleRec? Rle { get; set; }

    public double[]? Keypoints { get; set; }

    public int KeypointsOffset { get; set; }
}

/// <summary>
/// Streams a COCO file with <see cref="Utf8JsonReader"/> (no document tree for the large arrays): images and annotations
/// become small records, categories (small) a <see cref="JsonDocument"/>. Errors name the JSON path, line and byte.
/// </summary>
internal sealed class CocoJson : IDisposable
{
    private readonly byte[] _bytes;
    private readonly string _file;
    private int _start;

    private CocoJson(byte[] bytes, string file)
    {
        _bytes = bytes;
        _file = file;
    }

    public List<CocoImageRec> Images { get; } = [];

    public List<CocoAnnRec> Annotations { get; } = [];

    public bool HasAnnotations { get; private set; }

    public JsonDocument? Categories { get; private set; }

    public static CocoJson Read(string full, string file, ImportLimits limits)
    {
        JsonInput.CheckSize(full, file, limits);
        var json = new CocoJson(File.ReadAllBytes(full), file);
        try
        {
            json.Parse();
        }
        catch (JsonException ex)
        {
            json.Dispose();
            throw JsonInput.Wrap(ex, file);
        }
        catch
        {
            json.Dispose();
            throw;
        }

        return json;
    }

    public void Dispose() => Categories?.Dispose();

    /// <summary>An error at a byte offset of the file: the location gives the JSON path, line and byte.</summary>
    public DatasetFormatException Fail(int offset, string path, string message)
    {
        offset += _start;
        var line = 1;
        var lineStart = _start;
        var end = Math.Min(offset, _bytes.Length);
        for (var i = 0; i < end; i++)
        {
            if (_bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new DatasetFormatException(_file, $"{path}, line {line}, byte {offset - lineStart + 1}", message);
    }

    private static string Describe(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => $"a string \"{Cut(r.GetString())}\"",
        JsonTokenType.Number => $"a number {Cut(System.Text.Encoding.UTF8.GetString(r.ValueSpan))}",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => r.TokenType.ToString(),
    };

    private static string? Cut(string? s) => s is { Length: > 40 } ? s[..40] + "…" : s;

    private void Parse()
    {
        // Files saved by Windows tools often start with a UTF-8 byte order mark, which the reader does not skip itself.
        _start = _bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var r = new Utf8JsonReader(_bytes.AsSpan(_start), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
        {
            throw Fail((int)r.TokenStartIndex, "$", "expected a COCO object with images, annotations and categories");
        }

        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("images"u8))
            {
                r.Read();
                ReadImages(ref r);
            }
            else if (r.ValueTextEquals("annotations"u8))
            {
                r.Read();
                HasAnnotations = r.TokenType != JsonTokenType.Null;
                ReadAnnotations(ref r);
            }
            else if (r.ValueTextEquals("categories"u8))
            {
                r.Read();
                Categories?.Dispose();
                Categories = JsonDocument.ParseValue(ref r);
            }
            else
            {
                r.Read();
                r.Skip();
            }
        }
    }

    private void ReadImages(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            return;
        }

        Expect(ref r, JsonTokenType.StartArray, new PathRef("$.images", -1, string.Empty), "an array of images");
        var index = 0;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            var offset = (int)r.TokenStartIndex;
            Expect(ref r, JsonTokenType.StartObject, new PathRef("images", index, string.Empty), "an image object");
            long? id = null, width = null, height = null;
            string? fileName = null;
            var fileOffset = offset;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("id"u8))
                {
                    r.Read();
                    id = Long(ref r, index, "images", "id");
                }
                else if (r.ValueTextEquals("file_name"u8))
                {
                    r.Read();
                    fileOffset = (int)r.TokenStartIndex;
                    Expect(ref r, JsonTokenType.String, new PathRef("images", index, ".file_name"), "a string");
                    fileName = r.GetString();
                }
                else if (r.ValueTextEquals("width"u8))
                {
                    r.Read();
                    width = r.TokenType == JsonTokenType.Null ? null : Long(ref r, index, "images", "width");
                }
                else if (r.ValueTextEquals("height"u8))
                {
                    r.Read();
                    height = r.TokenType == JsonTokenType.Null ? null : Long(ref r, index, "images", "height");
                }
                else
                {
                    r.Read();
                    r.Skip();
                }
            }

            if (id is null)
            {
                throw Fail(offset, $"$.images[{index}]", "missing required property 'id'");
            }

            if (fileName is null)
            {
                throw Fail(offset, $"$.images[{index}]", "missing required property 'file_name'");
            }

            Images.Add(new CocoImageRec(index, offset, id.Value, fileName, fileOffset, width, height));
            index++;
        }
    }

    private void ReadAnnotations(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            return;
        }

        Expect(ref r, JsonTokenType.StartArray, new PathRef("$.annotations", -1, string.Empty), "an array of annotations");
        var index = 0;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            var ann = new CocoAnnRec { Index = index, Offset = (int)r.TokenStartIndex };
            Expect(ref r, JsonTokenType.StartObject, new PathRef("annotations", index, string.Empty), "an annotation object");
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("bbox"u8))
                {
                    r.Read();
                    ann.BboxOffset = (int)r.TokenStartIndex;
                    ann.Bbox = r.TokenType == JsonTokenType.Null ? null : Numbers(ref r, new PathRef("annotations", index, ".bbox"));
                }
                else if (r.ValueTextEquals("image_id"u8))
                {
                    r.Read();
                    ann.ImageIdOffset = (int)r.TokenStartIndex;
                    ann.ImageId = Long(ref r, index, "annotations", "image_id");
                }
                else if (r.ValueTextEquals("category_id"u8))
                {
                    r.Read();
                    ann.CategoryIdOffset = (int)r.TokenStartIndex;
                    ann.CategoryId = Long(ref r, index, "annotations", "category_id");
                }
                else if (r.ValueTextEquals("segmentation"u8))
                {
                    r.Read();
                    ReadSegmentation(ref r, ref ann);
                }
                else if (r.ValueTextEquals("id"u8))
                {
                    r.Read();
                    ann.Id = r.TokenType == JsonTokenType.Null ? null : Long(ref r, index, "annotations", "id");
                }
                else if (r.ValueTextEquals("iscrowd"u8))
                {
                    r.Read();
                    ann.Crowd = r.TokenType switch
                    {
                        JsonTokenType.True => true,
                        JsonTokenType.False or JsonTokenType.Null => false,
                        JsonTokenType.Number when r.TryGetInt32(out var c) && c is 0 or 1 => c == 1,
                        _ => throw Fail((int)r.TokenStartIndex, $"$.annotations[{index}].iscrowd", $"expected 0 or 1, found {Describe(ref r)}"),
                    };
                }
                else if (r.ValueTextEquals("keypoints"u8))
                {
                    r.Read();
                    ann.KeypointsOffset = (int)r.TokenStartIndex;
                    ann.Keypoints = r.TokenType == JsonTokenType.Null ? null : Numbers(ref r, new PathRef("annotations", index, ".keypoints"));
                }
                else if (r.ValueTextEquals("score"u8))
                {
                    r.Read();
                    ann.Score = r.TokenType == JsonTokenType.Null ? null : Double(ref r, new PathRef("annotations", index, ".score"));
                }
                else
                {
                    r.Read();
                    r.Skip();
                }
            }

            Annotations.Add(ann);
            index++;
        }
    }

    private void ReadSegmentation(ref Utf8JsonReader r, ref CocoAnnRec ann)
    {
        var path = new PathRef("annotations", ann.Index, ".segmentation");
        switch (r.TokenType)
        {
            case JsonTokenType.Null:
                return;
            case JsonTokenType.StartArray:
                var start = (int)r.TokenStartIndex;
                var polygons = new List<(double[], int)>(1);
                var flat = new List<double>();
                var part = 0;
                while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                {
                    if (r.TokenType == JsonTokenType.Number)
                    {
                        // A few tools write one polygon as a flat list of numbers instead of a list of polygons.
                        flat.Add(Double(ref r, path with { Sub = flat.Count }));
                        continue;
                    }

                    var offset = (int)r.TokenStartIndex;
                    polygons.Add((Numbers(ref r, path with { Sub = part }), offset));
                    part++;
                }

                if (flat.Count > 0)
                {
                    if (polygons.Count > 0)
                    {
                        throw Fail(start, path.ToString(), "expected a list of polygons, found numbers mixed with lists");
                    }

                    polygons.Add(([.. flat], start));
                    ann.FlatPolygon = true;
                }

                ann.Polygons = polygons.Count > 0 ? polygons : null;
                return;
            case JsonTokenType.StartObject:
                ann.Rle = ReadRle(ref r, path.ToString());
                return;
            default:
                throw Fail((int)r.TokenStartIndex, path.ToString(), $"expected a list of polygons or an RLE object {{counts, size}}, found {Describe(ref r)}");
        }
    }

    private CocoRleRec ReadRle(ref Utf8JsonReader r, string path)
    {
        var offset = (int)r.TokenStartIndex;
        string? compressed = null;
        uint[]? counts = null;
        double[]? size = null;
        int countsOffset = offset, sizeOffset = offset;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("counts"u8))
            {
                r.Read();
                countsOffset = (int)r.TokenStartIndex;
                if (r.TokenType == JsonTokenType.String)
                {
                    compressed = r.GetString();
                }
                else
                {
                    Expect(ref r, JsonTokenType.StartArray, new PathRef(path + ".counts", -1, string.Empty), "a compressed RLE string or a list of run lengths");
                    var list = new List<uint>();
                    while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                    {
                        if (r.TokenType != JsonTokenType.Number || !r.TryGetUInt32(out var v))
                        {
                            throw Fail((int)r.TokenStartIndex, $"{path}.counts[{list.Count}]", $"expected a run length ≥ 0, found {Describe(ref r)}");
                        }

                        list.Add(v);
                    }

                    counts = [.. list];
                }
            }
            else if (r.ValueTextEquals("size"u8))
            {
                r.Read();
                sizeOffset = (int)r.TokenStartIndex;
                size = Numbers(ref r, new PathRef(path + ".size", -1, string.Empty));
            }
            else
            {
                r.Read();
                r.Skip();
            }
        }

        if (compressed is null && counts is null)
        {
            throw Fail(offset, path, "missing required property 'counts'");
        }

        if (size is null || size.Length != 2)
        {
            throw Fail(sizeOffset, path + ".size", "expected [height, width]");
        }

        return new CocoRleRec(offset, compressed, counts, countsOffset, size[0], size[1], sizeOffset);
    }

    private void Expect(ref Utf8JsonReader r, JsonTokenType type, PathRef path, string what)
    {
        if (r.TokenType != type)
        {
            throw Fail((int)r.TokenStartIndex, path.ToString(), $"expected {what}, found {Describe(ref r)}");
        }
    }

    private long Long(ref Utf8JsonReader r, int index, string array, string property)
    {
        if (r.TokenType == JsonTokenType.Number)
        {
            if (r.TryGetInt64(out var l))
            {
                return l;
            }

            // Some tools write integral ids as 12.0.
            if (r.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e15)
            {
                return (long)d;
            }
        }

        throw Fail((int)r.TokenStartIndex, $"$.{array}[{index.ToString(CultureInfo.InvariantCulture)}].{property}", $"expected an integer, found {Describe(ref r)}");
    }

    private double Double(ref Utf8JsonReader r, PathRef path) =>
        r.TokenType == JsonTokenType.Number && r.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : throw Fail((int)r.TokenStartIndex, path.ToString(), $"expected a finite number, found {Describe(ref r)}");

    private double[] Numbers(ref Utf8JsonReader r, PathRef path)
    {
        if (r.TokenType != JsonTokenType.StartArray)
        {
            throw Fail((int)r.TokenStartIndex, path.ToString(), $"expected an array of numbers, found {Describe(ref r)}");
        }

        Span<double> small = stackalloc double[8];
        List<double>? more = null;
        var n = 0;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            var v = r.TokenType == JsonTokenType.Number && r.TryGetDouble(out var d) && double.IsFinite(d)
                ? d
                : throw Fail((int)r.TokenStartIndex, $"{path}[{n}]", $"expected a finite number, found {Describe(ref r)}");
            if (n < small.Length)
            {
                small[n] = v;
            }
            else
            {
                more ??= [.. small];
                more.Add(v);
            }

            n++;
        }

        return more is not null ? [.. more] : small[..n].ToArray();
    }

    /// <summary>A JSON path built only when an error needs it: <c>$.array[index]rest[sub]</c>, or <c>array</c> as is when index &lt; 0.</summary>
    private readonly record struct PathRef(string Array, int Index, string Rest, int Sub = -1)
    {
        public override string ToString()
        {
            var head = Index < 0 ? Array : string.Create(CultureInfo.InvariantCulture, $"$.{Array}[{Index}]{Rest}");
            return Sub < 0 ? head : string.Create(CultureInfo.InvariantCulture, $"{head}[{Sub}]");
        }
    }
}
