using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Cairn.Core.Formats;
using Cairn.Core.Formats.Coco;
using Cairn.Core.Masks;
using Reader = Cairn.Core.Formats.Coco.CocoJson;

namespace Cairn.Evaluation.Coco.Internal;

/// <summary>
/// Evaluation's view of the one COCO reader (<see cref="Reader"/> in Cairn.Core, shared with the importer): turns
/// its records into ground truth and detections and checks what COCOeval needs (ids, area, a four-number box).
/// Those errors name the file and the JSON path; syntax and type errors come from the reader with line and byte.
/// </summary>
internal static class CocoJson
{
    public static (List<CocoImage> Images, List<CocoCategory> Categories, List<CocoAnnotation> Annotations) ReadDataset(byte[] json, string file, bool withSegmentations = true)
    {
        using var coco = Reader.Parse(json, file, requireFileNames: false, skipSegmentation: !withSegmentations);
        if (!coco.HasImages)
        {
            Fail(file, "$", "no \"images\" array: a COCO ground truth lists its images");
        }

        var images = new List<CocoImage>(coco.Images.Count);
        foreach (var im in coco.Images)
        {
            images.Add(new CocoImage(im.Id, Int(file, im.Index, "width", im.Width), Int(file, im.Index, "height", im.Height), im.FileName));
        }

        var categories = coco.Categories is { } doc ? ReadCategories(doc.RootElement, file) : [];
        var annotations = new List<CocoAnnotation>(coco.Annotations.Count);
        foreach (ref readonly var a in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(coco.Annotations))
        {
            annotations.Add(ToAnnotation(file, in a));
        }

        return (images, categories, annotations);
    }

    /// <summary>
    /// Parses a results file. Compressed RLE masks stay compressed (slices of <paramref name="json"/>), decoded and
    /// checked where the evaluation needs them (<see cref="CocoSegmentation.ToRle"/>).
    /// </summary>
    public static List<CocoDetection> ReadDetections(byte[] json, string file) =>
        Reader.ReadResults(json, file, (in CocoAnnRec d) => ToDetection(file, in d), keepCompressedRle: true);

    /// <summary>
    /// Parses a results file, a large one on several threads: plain box results by <see cref="PlainResultsReader"/>,
    /// anything else (or anything wrong) by the one COCO reader (see <see cref="Reader.ReadResultsParallel"/>).
    /// </summary>
    public static CocoDetection[] ReadDetectionsParallel(ReadOnlyMemory<byte> json, string file, int minBytes = 8 << 20, int? pieces = null)
    {
        var parts = json.Length < minBytes ? 1 : pieces ?? Math.Min(16, Environment.ProcessorCount * 2);
        if (PlainResultsReader.TryRead(json, parts) is { } plain)
        {
            return plain;
        }

        // The general reader takes an array: a mapped file is copied for it (the plain reader's shape is the common one).
        var array = MemoryMarshal.TryGetArray(json, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : json.ToArray();
        return Reader.ReadResultsParallel(array, file, (in CocoAnnRec d) => ToDetection(file, in d), minBytes, pieces, keepCompressedRle: true);
    }

    private static List<CocoCategory> ReadCategories(JsonElement root, string file)
    {
        if (root.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            Fail(file, "$.categories", $"expected an array, found {root.ValueKind}");
        }

        var list = new List<CocoCategory>(root.GetArrayLength());
        var i = 0;
        foreach (var c in root.EnumerateArray())
        {
            var at = $"$.categories[{i++}]";
            if (c.ValueKind != JsonValueKind.Object)
            {
                Fail(file, at, $"expected an object, found {c.ValueKind}");
            }

            if (!c.TryGetProperty("id", out var idElement) || idElement.ValueKind == JsonValueKind.Null)
            {
                Fail(file, at, "category has no \"id\"");
            }

            long id = idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt64(out var l) ? l
                : idElement.ValueKind == JsonValueKind.Number && idElement.GetDouble() is var d && d == Math.Floor(d) && Math.Abs(d) < 9e15 ? (long)d
                : Fail<long>(file, at + ".id", $"expected an integer id, found {idElement.ValueKind}");
            var name = c.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : string.Empty;
            string? super = c.TryGetProperty("supercategory", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            char? frequency = null;
            if (c.TryGetProperty("frequency", out var f) && f.ValueKind != JsonValueKind.Null)
            {
                frequency = f.ValueKind == JsonValueKind.String && f.GetString() is "r" or "c" or "f" ? f.GetString()![0]
                    : Fail<char>(file, at + ".frequency", $"expected \"r\", \"c\" or \"f\" (LVIS frequency group), found {(f.ValueKind == JsonValueKind.String ? $"\"{f.GetString()}\"" : f.ValueKind.ToString())}");
            }

            list.Add(new CocoCategory(id, name.Length == 0 ? id.ToString(CultureInfo.InvariantCulture) : name, super, frequency));
        }

        return list;
    }

    private static CocoAnnotation ToAnnotation(string file, in CocoAnnRec a)
    {
        var at = a.Index;
        if (a.Id is not { } id)
        {
            return Fail<CocoAnnotation>(file, Path("$.annotations", at), "annotation has no \"id\"");
        }

        if (a.ImageId is not { } image)
        {
            return Fail<CocoAnnotation>(file, Path("$.annotations", at), "annotation has no \"image_id\"");
        }

        if (a.CategoryId is not { } category)
        {
            return Fail<CocoAnnotation>(file, Path("$.annotations", at), "annotation has no \"category_id\"");
        }

        if (a.Area is not { } area)
        {
            return Fail<CocoAnnotation>(file, Path("$.annotations", at), "annotation has no \"area\" (COCOeval takes the small/medium/large range from it)");
        }

        if (Box(file, "$.annotations", in a) is not { } box)
        {
            return Fail<CocoAnnotation>(file, Path("$.annotations", at), "annotation has no \"bbox\" [x, y, width, height]");
        }

        return new CocoAnnotation(id, image, category, box, area, a.Crowd, Segmentation(file, "$.annotations", in a));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static CocoDetection ToDetection(string file, in CocoAnnRec d)
    {
        if (d.ImageId is not { } image)
        {
            return Fail<CocoDetection>(file, Path("$", d.Index), "result has no \"image_id\"");
        }

        if (d.CategoryId is not { } category)
        {
            return Fail<CocoDetection>(file, Path("$", d.Index), "result has no \"category_id\"");
        }

        if (d.Score is not { } score)
        {
            return Fail<CocoDetection>(file, Path("$", d.Index), "result has no \"score\" (a confidence number is needed to rank detections)");
        }

        var box = Box(file, "$", in d);
        var seg = d.Polygons is null && d.Rle is null ? null : Segmentation(file, "$", in d);
        if (box is null && seg is null)
        {
            Fail(file, Path("$", d.Index), "result has neither \"bbox\" nor \"segmentation\"");
        }

        return new CocoDetection(image, category, score, box, seg);
    }

    /// <summary>The box, or null when absent (and, for results, when written as an empty list).</summary>
    private static CocoBox? Box(string file, string array, in CocoAnnRec a)
    {
        if (a.Bbox is not { } b || (b.Length == 0 && array == "$"))
        {
            return null;
        }

        return b.Length == 4 ? new CocoBox(b.X, b.Y, b.W, b.H) : Fail<CocoBox>(file, Path(array, a.Index) + ".bbox", $"expected [x, y, width, height]: four numbers, found {b.Length}");
    }

    private static CocoSegmentation? Segmentation(string file, string array, in CocoAnnRec a)
    {
        if (a.Polygons is { } polygons)
        {
            if (a.FlatPolygon)
            {
                Fail(file, Path(array, a.Index) + ".segmentation[0]", "expected a polygon [x0, y0, x1, y1, ...], found Number");
            }

            var list = new double[polygons.Count][];
            for (var p = 0; p < list.Length; p++)
            {
                list[p] = polygons[p].Values;
                if (list[p].Length % 2 != 0)
                {
                    Fail(file, $"{Path(array, a.Index)}.segmentation[{p}]", $"a polygon needs an even number of coordinates, found {list[p].Length}");
                }
            }

            return CocoSegmentation.FromPolygons(list);
        }

        if (a.Rle is not { } rle)
        {
            return null;
        }

        int h = (int)rle.Height, w = (int)rle.Width;
        if (h != rle.Height || w != rle.Width || h < 0 || w < 0)
        {
            Fail(file, Path(array, a.Index) + ".segmentation.size", "expected [height, width]: two integers");
        }

        if (rle.IsCompressed)
        {
            return CocoSegmentation.FromCompressed(rle.Compressed, h, w);
        }

        if (!RleOps.CheckSize(rle.Counts, h, w, out var sizeError))
        {
            Fail(file, Path(array, a.Index) + ".segmentation.counts", $"malformed RLE: {sizeError}");
        }

        return CocoSegmentation.FromMask(new Rle(h, w, rle.Counts));
    }

    private static int Int(string file, int index, string property, long? value) => value switch
    {
        null => 0,
        >= int.MinValue and <= int.MaxValue => (int)value.Value,
        _ => Fail<int>(file, $"{Path("$.images", index)}.{property}", $"expected an integer, found {value}"),
    };

    private static string Path(string array, int index) => string.Create(CultureInfo.InvariantCulture, $"{array}[{index}]");

    [DoesNotReturn]
    private static void Fail(string file, string location, string message) => throw new DatasetFormatException(file, location, message);

    [DoesNotReturn]
    private static T Fail<T>(string file, string location, string message) => throw new DatasetFormatException(file, location, message);
}
