using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Cairn.Core.Formats.Internal;
using Cairn.Core.Masks;

namespace Cairn.Core.Formats.Coco;

/// <summary>One entry of <c>$.images</c>, as read.</summary>
internal readonly record struct CocoImageRec(int Index, int Offset, long Id, string FileName, int FileNameOffset, long? Width, long? Height);

/// <summary>
/// An RLE segmentation, as read: the run lengths (a compressed string is decoded while reading) and its own size. A
/// reader made to keep compressed strings leaves <see cref="Counts"/> empty and gives the string's UTF-8 bytes in
/// <see cref="Compressed"/> (a slice of the file's bytes, or a copy when the string was escaped), not yet checked.
/// </summary>
internal readonly record struct CocoRleRec(int Offset, uint[] Counts, int CountsOffset, double Height, double Width, int SizeOffset)
{
    public ReadOnlyMemory<byte> Compressed { get; init; }

    public bool IsCompressed { get; init; }
}

/// <summary>A <c>bbox</c>, as read: its first four numbers and how many numbers it had (no array per box on the hot path).</summary>
internal readonly record struct CocoBboxRec(double X, double Y, double W, double H, int Length)
{
    public double this[int i] => i switch { 0 => X, 1 => Y, 2 => W, _ => H };
}

/// <summary>Turns one element of a results array into the caller's type while the reader is on it.</summary>
internal delegate T CocoRecordMap<T>(in CocoAnnRec record);

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

    public double? Area { get; set; }

    public CocoBboxRec? Bbox { get; set; }

    public int BboxOffset { get; set; }

    public List<(double[] Values, int Offset)>? Polygons { get; set; }

    public bool FlatPolygon { get; set; }

    public CocoRleRec? Rle { get; set; }

    public double[]? Keypoints { get; set; }

    public int KeypointsOffset { get; set; }
}

/// <summary>
/// The one COCO JSON reader, for the importer and for evaluation (ground truth and results files). It streams with
/// <see cref="Utf8JsonReader"/> (no document tree for the large arrays): images and annotations become small records,
/// categories (small) a <see cref="JsonDocument"/>, results are mapped element by element while the reader is on them.
/// Errors name the file, the JSON path, line and byte.
/// </summary>
internal sealed class CocoJson : IDisposable
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 256 };

    private readonly byte[] _bytes;
    private readonly string _file;
    private readonly bool _requireFileNames;
    private readonly bool _keepCompressed;
    private readonly bool _skipSegmentation;
    private int _start;

    private CocoJson(byte[] bytes, string file, bool requireFileNames, bool keepCompressed = false, bool skipSegmentation = false)
    {
        _bytes = bytes;
        _file = file;
        _requireFileNames = requireFileNames;
        _keepCompressed = keepCompressed;
        _skipSegmentation = skipSegmentation;
    }

    public List<CocoImageRec> Images { get; } = [];

    public List<CocoAnnRec> Annotations { get; } = [];

    public bool HasImages { get; private set; }

    public bool HasAnnotations { get; private set; }

    public JsonDocument? Categories { get; private set; }

    /// <summary>Reads an import's annotation file, refusing one larger than the limits allow.</summary>
    public static CocoJson Read(string full, string file, ImportLimits limits)
    {
        JsonInput.CheckSize(full, file, limits);
        return Parse(File.ReadAllBytes(full), file, requireFileNames: true);
    }

    /// <summary>Reads a COCO dataset object ({images, annotations, categories}) from its bytes.</summary>
    public static CocoJson Parse(byte[] bytes, string file, bool requireFileNames) => Parse(bytes, file, requireFileNames, skipSegmentation: false);

    /// <summary>
    /// Parses a COCO dataset; with <paramref name="skipSegmentation"/>, annotations' segmentations are checked as JSON
    /// and passed over, not read (box evaluation never uses them, and their numbers were half of reading the file).
    /// </summary>
    public static CocoJson Parse(byte[] bytes, string file, bool requireFileNames, bool skipSegmentation)
    {
        var json = new CocoJson(bytes, file, requireFileNames, skipSegmentation: skipSegmentation);
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

    /// <summary>
    /// Reads a COCO results file (an array of annotation-like objects), mapping each element as it is read. With
    /// <paramref name="keepCompressedRle"/>, compressed RLE strings are not decoded (<see cref="CocoRleRec.Compressed"/>).
    /// </summary>
    public static List<T> ReadResults<T>(byte[] bytes, string file, CocoRecordMap<T> map, bool keepCompressedRle = false)
    {
        var json = new CocoJson(bytes, file, requireFileNames: false, keepCompressedRle);
        json._start = BomLength(bytes);
        var list = new List<T>(Math.Max(16, bytes.Length / 400));
        var r = new Utf8JsonReader(bytes.AsSpan(json._start), Options);
        try
        {
            if (!r.Read() || r.TokenType != JsonTokenType.StartArray)
            {
                throw json.Fail((int)r.TokenStartIndex, "$", $"expected a JSON array of results ({{image_id, category_id, score, bbox | segmentation}}), found {Describe(ref r)}");
            }

            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                var rec = json.ReadAnnotation(ref r, string.Empty, list.Count);
                list.Add(map(in rec));
            }
        }
        catch (JsonException e)
        {
            // Results files are named by line alone (what `cairn eval` has always printed for them).
            throw new DatasetFormatException(file, $"line {(e.LineNumber ?? 0) + 1}", $"malformed JSON: {e.Message}", e);
        }

        return list;
    }

    /// <summary>
    /// Reads a large results file on several threads: the array is cut at element starts (a '{' after "}," — a
    /// segmentation object's '{' follows a ':'), and each piece is read element by element. Any failure, including a
    /// cut that was not really an element start, falls back to <see cref="ReadResults"/>, which then reports the
    /// error with its exact JSON path.
    /// </summary>
    public static T[] ReadResultsParallel<T>(byte[] bytes, string file, CocoRecordMap<T> map, int minBytes = 8 << 20, int? pieces = null, bool keepCompressedRle = false)
    {
        var parts = pieces ?? Math.Min(16, Environment.ProcessorCount * 2);
        var start = BomLength(bytes);
        while (start < bytes.Length && IsSpace(bytes[start]))
        {
            start++;
        }

        if (bytes.Length < minBytes || parts < 2 || start >= bytes.Length || bytes[start] != '[')
        {
            return [.. ReadResults(bytes, file, map, keepCompressedRle)];
        }

        var cuts = ElementCuts(bytes, start, parts);
        var json = new CocoJson(bytes, file, requireFileNames: false, keepCompressedRle);
        var chunks = new List<T>?[cuts.Count - 1];
        var ok = true;
        Parallel.For(0, chunks.Length, i =>
        {
            try
            {
                chunks[i] = json.ReadPiece(cuts[i], cuts[i + 1], last: i == chunks.Length - 1, map);
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
            return [.. ReadResults(bytes, file, map, keepCompressedRle)];
        }

        var result = new T[chunks.Sum(x => x!.Count)];
        var at = 0;
        foreach (var piece in chunks)
        {
            piece!.CopyTo(result, at);
            at += piece.Count;
        }

        return result;
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

    // Files saved by Windows tools often start with a UTF-8 byte order mark, which the reader does not skip itself.
    private static int BomLength(byte[] bytes) => bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;

    /// <summary>JSON whitespace.</summary>
    internal static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t';

    /// <summary>
    /// Where to cut a results array opening at <paramref name="open"/> ('[') into about <paramref name="parts"/> pieces
    /// read in parallel: just after the '[', then at element starts (see <see cref="FindElementStart"/>), then the
    /// end of the bytes. A cut inside a string is possible; the piece reader then fails and the caller falls back.
    /// </summary>
    internal static List<int> ElementCuts(ReadOnlySpan<byte> bytes, int open, int parts)
    {
        var cuts = new List<int> { open + 1 };
        for (var p = 1; p < parts; p++)
        {
            var c = FindElementStart(bytes, Math.Max(cuts[^1] + 1, (int)((long)bytes.Length * p / parts)));
            if (c < 0)
            {
                break;
            }

            cuts.Add(c);
        }

        cuts.Add(bytes.Length);
        return cuts;
    }

    private static int FindElementStart(ReadOnlySpan<byte> json, int from)
    {
        var i = from;
        while (i < json.Length)
        {
            var k = json[i..].IndexOf((byte)'{');
            if (k < 0)
            {
                return -1;
            }

            i += k;
            var j = i - 1;
            while (j > 0 && IsSpace(json[j]))
            {
                j--;
            }

            if (j > 0 && json[j] == ',')
            {
                j--;
                while (j > 0 && IsSpace(json[j]))
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
    private List<T>? ReadPiece<T>(int start, int end, bool last, CocoRecordMap<T> map)
    {
        var json = _bytes;
        var list = new List<T>(Math.Max(16, (end - start) / 400));
        var pos = start;
        while (true)
        {
            while (pos < end && IsSpace(json[pos]))
            {
                pos++;
            }

            if (pos >= end)
            {
                return last ? null : list; // the last piece must close the array
            }

            if (json[pos] == ']')
            {
                return last && json.AsSpan(pos + 1).TrimStart(" \n\r\t"u8).IsEmpty ? list : null;
            }

            if (json[pos] != '{')
            {
                return null;
            }

            // Offsets inside a piece are relative to the element; only the sequential re-read reports errors.
            var r = new Utf8JsonReader(json.AsSpan(pos, end - pos), Options);
            r.Read();
            var rec = ReadAnnotation(ref r, string.Empty, list.Count);
            list.Add(map(in rec));
            pos += (int)r.BytesConsumed;
            if (list.Count == 256)
            {
                // Sized from the first elements, so the list is not regrown (and copied) three or four times.
                list.Capacity = Math.Max(list.Capacity, (int)Math.Min(int.MaxValue / 2, (long)(end - start) * 256 / (pos - start) * 17 / 16));
            }

            while (pos < end && IsSpace(json[pos]))
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

    /// <summary><c>$.array[index]</c>, or <c>$[index]</c> for the elements of a results file (array "").</summary>
    private static string Element(string array, int index) =>
        array.Length == 0 ? string.Create(CultureInfo.InvariantCulture, $"$[{index}]") : string.Create(CultureInfo.InvariantCulture, $"$.{array}[{index}]");

    private void Parse()
    {
        _start = BomLength(_bytes);
        var r = new Utf8JsonReader(_bytes.AsSpan(_start), Options);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
        {
            throw Fail((int)r.TokenStartIndex, "$", "expected a COCO object with images, annotations and categories");
        }

        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("images"u8))
            {
                r.Read();
                HasImages = r.TokenType != JsonTokenType.Null;
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

            if (fileName is null && _requireFileNames)
            {
                throw Fail(offset, $"$.images[{index}]", "missing required property 'file_name'");
            }

            Images.Add(new CocoImageRec(index, offset, id.Value, fileName ?? string.Empty, fileOffset, width, height));
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
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            Annotations.Add(ReadAnnotation(ref r, "annotations", Annotations.Count));
        }
    }

    /// <summary>One annotation (or result) object; <paramref name="array"/> names the array it is in, "" for a results file.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private CocoAnnRec ReadAnnotation(ref Utf8JsonReader r, string array, int index)
    {
        var ann = new CocoAnnRec { Index = index, Offset = (int)r.TokenStartIndex };
        Expect(ref r, JsonTokenType.StartObject, new PathRef(array, index, string.Empty), array.Length == 0 ? "a result object" : "an annotation object");
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("bbox"u8))
            {
                r.Read();
                ann.BboxOffset = (int)r.TokenStartIndex;
                ann.Bbox = r.TokenType == JsonTokenType.Null ? null : Bbox(ref r, new PathRef(array, index, ".bbox"));
            }
            else if (r.ValueTextEquals("image_id"u8))
            {
                r.Read();
                ann.ImageIdOffset = (int)r.TokenStartIndex;
                ann.ImageId = Long(ref r, index, array, "image_id");
            }
            else if (r.ValueTextEquals("category_id"u8))
            {
                r.Read();
                ann.CategoryIdOffset = (int)r.TokenStartIndex;
                ann.CategoryId = Long(ref r, index, array, "category_id");
            }
            else if (r.ValueTextEquals("score"u8))
            {
                r.Read();
                ann.Score = r.TokenType == JsonTokenType.Null ? null : Double(ref r, new PathRef(array, index, ".score"));
            }
            else if (r.ValueTextEquals("segmentation"u8))
            {
                r.Read();
                if (_skipSegmentation)
                {
                    r.Skip();
                }
                else
                {
                    ReadSegmentation(ref r, ref ann, array);
                }
            }
            else if (r.ValueTextEquals("id"u8))
            {
                r.Read();
                ann.Id = r.TokenType == JsonTokenType.Null ? null : Long(ref r, index, array, "id");
            }
            else if (r.ValueTextEquals("area"u8))
            {
                r.Read();
                ann.Area = r.TokenType == JsonTokenType.Null ? null : Double(ref r, new PathRef(array, index, ".area"));
            }
            else if (r.ValueTextEquals("iscrowd"u8))
            {
                r.Read();
                ann.Crowd = r.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False or JsonTokenType.Null => false,
                    JsonTokenType.Number when r.TryGetInt32(out var c) && c is 0 or 1 => c == 1,
                    _ => throw Fail((int)r.TokenStartIndex, Element(array, index) + ".iscrowd", $"expected 0 or 1, found {Describe(ref r)}"),
                };
            }
            else if (r.ValueTextEquals("keypoints"u8))
            {
                r.Read();
                ann.KeypointsOffset = (int)r.TokenStartIndex;
                ann.Keypoints = r.TokenType == JsonTokenType.Null ? null : Numbers(ref r, new PathRef(array, index, ".keypoints"));
            }
            else
            {
                r.Read();
                r.Skip();
            }
        }

        return ann;
    }

    private void ReadSegmentation(ref Utf8JsonReader r, ref CocoAnnRec ann, string array)
    {
        var path = new PathRef(array, ann.Index, ".segmentation");
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
        uint[]? counts = null;
        ReadOnlyMemory<byte> compressed = default;
        var kept = false;
        CocoBboxRec? size = null; // the same four-number reader as a box: no array per mask
        int countsOffset = offset, sizeOffset = offset;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("counts"u8))
            {
                r.Read();
                countsOffset = (int)r.TokenStartIndex;
                kept = false;
                if (r.TokenType == JsonTokenType.String && _keepCompressed)
                {
                    // Kept as the file's own bytes (a slice, no copy) until a mask is needed: the evaluation decodes
                    // it in the worker that uses it, so 67 M run lengths are never alive at once.
                    compressed = r.ValueIsEscaped ? CopyEscaped(ref r) : Slice(r.ValueSpan);
                    counts = [];
                    kept = true;
                }
                else if (r.TokenType == JsonTokenType.String)
                {
                    // Decoded straight from the UTF-8 bytes: half a million segmentation results allocate no strings.
                    var ok = r.ValueIsEscaped
                        ? RleOps.TryDecodeCompressedCounts(r.GetString().AsSpan(), out counts, out var error)
                        : RleOps.TryDecodeCompressedCounts(r.ValueSpan, out counts, out error);
                    if (!ok)
                    {
                        throw Fail(countsOffset, path + ".counts", error);
                    }
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
                size = Bbox(ref r, new PathRef(path + ".size", -1, string.Empty));
            }
            else
            {
                r.Read();
                r.Skip();
            }
        }

        if (counts is null)
        {
            throw Fail(offset, path, "missing required property 'counts'");
        }

        if (size is not { Length: 2 } hw)
        {
            throw Fail(sizeOffset, path + ".size", "expected [height, width]");
        }

        return new CocoRleRec(offset, counts, countsOffset, hw.X, hw.Y, sizeOffset) { Compressed = compressed, IsCompressed = kept };
    }

    private static ReadOnlyMemory<byte> CopyEscaped(ref Utf8JsonReader r)
    {
        var buffer = new byte[r.ValueSpan.Length];
        return buffer.AsMemory(0, r.CopyString(buffer));
    }

    /// <summary>The memory of <paramref name="value"/>, a span the reader gives over <see cref="_bytes"/>.</summary>
    private ReadOnlyMemory<byte> Slice(ReadOnlySpan<byte> value)
    {
        var at = Unsafe.ByteOffset(ref MemoryMarshal.GetArrayDataReference(_bytes), ref MemoryMarshal.GetReference(value));
        return at >= 0 && at + value.Length <= _bytes.Length ? _bytes.AsMemory((int)at, value.Length) : value.ToArray();
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

        throw Fail((int)r.TokenStartIndex, $"{Element(array, index)}.{property}", $"expected an integer, found {Describe(ref r)}");
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

    private CocoBboxRec Bbox(ref Utf8JsonReader r, PathRef path)
    {
        if (r.TokenType != JsonTokenType.StartArray)
        {
            throw Fail((int)r.TokenStartIndex, path.ToString(), $"expected an array of numbers, found {Describe(ref r)}");
        }

        Span<double> v = stackalloc double[4];
        var n = 0;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            var d = r.TokenType == JsonTokenType.Number && r.TryGetDouble(out var x) && double.IsFinite(x)
                ? x
                : throw Fail((int)r.TokenStartIndex, $"{path}[{n}]", $"expected a finite number, found {Describe(ref r)}");
            if (n < 4)
            {
                v[n] = d;
            }

            n++;
        }

        return new CocoBboxRec(v[0], v[1], v[2], v[3], n);
    }

    /// <summary>A JSON path built only when an error needs it: <c>$.array[index]rest[sub]</c> (<c>$[index]…</c> for array ""), or <c>array</c> as is when index &lt; 0.</summary>
    private readonly record struct PathRef(string Array, int Index, string Rest, int Sub = -1)
    {
        public override string ToString()
        {
            var head = Index < 0 ? Array : Element(Array, Index) + Rest;
            return Sub < 0 ? head : string.Create(CultureInfo.InvariantCulture, $"{head}[{Sub}]");
        }
    }
}
