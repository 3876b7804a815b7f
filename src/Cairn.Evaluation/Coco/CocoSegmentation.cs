using Cairn.Core.Masks;

namespace Cairn.Evaluation.Coco;

/// <summary>A COCO segmentation: either polygons (x0, y0, x1, y1, … in pixels) or a run-length mask.</summary>
/// <remarks>
/// A mask read from a results file stays in pycocotools' compressed string form (a slice of the file's bytes) until
/// it is used: half a million results decoded at once held a gigabyte of run lengths.
/// </remarks>
public sealed record CocoSegmentation
{
    private readonly Rle? _mask;
    private readonly ReadOnlyMemory<byte> _compressed;
    private readonly int _height;
    private readonly int _width;

    private CocoSegmentation(IReadOnlyList<double[]>? polygons, Rle? mask)
    {
        Polygons = polygons;
        _mask = mask;
    }

    private CocoSegmentation(ReadOnlyMemory<byte> compressed, int height, int width)
    {
        _compressed = compressed;
        _height = height;
        _width = width;
        IsCompressed = true;
    }

    /// <summary>The polygons, or null for a mask.</summary>
    public IReadOnlyList<double[]>? Polygons { get; }

    /// <summary>
    /// The run-length mask, or null for polygons. A mask still compressed is decoded on each read; a malformed one
    /// throws <see cref="FormatException"/>.
    /// </summary>
    public Rle? Mask => _mask ?? (IsCompressed ? Decode() : null);

    /// <summary>True for a mask kept in compressed form until used.</summary>
    internal bool IsCompressed { get; }

    /// <summary>A polygon segmentation.</summary>
    public static CocoSegmentation FromPolygons(IReadOnlyList<double[]> polygons)
    {
        ArgumentNullException.ThrowIfNull(polygons);
        return new(polygons, null);
    }

    /// <summary>A mask segmentation.</summary>
    public static CocoSegmentation FromMask(Rle mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return new(null, mask);
    }

    /// <summary>A mask in pycocotools' compressed string form (UTF-8), decoded and checked when used.</summary>
    internal static CocoSegmentation FromCompressed(ReadOnlyMemory<byte> counts, int height, int width) => new(counts, height, width);

    /// <summary>
    /// The mask on an image of the given size, as pycocotools' annToRLE: polygons are rasterised and merged
    /// (a first polygon of exactly four numbers makes pycocotools read every entry as a box, and so does this).
    /// </summary>
    public Rle ToRle(int height, int width)
    {
        if (_mask is not null)
        {
            return _mask;
        }

        if (IsCompressed)
        {
            return Decode();
        }

        var polygons = Polygons!;
        if (polygons.Count > 0 && polygons[0].Length == 4)
        {
            var boxes = new Rle[polygons.Count];
            for (var i = 0; i < boxes.Length; i++)
            {
                var b = polygons[i];
                boxes[i] = RleOps.FromBox(b[0], b[1], b[2], b[3], height, width);
            }

            return RleOps.Merge(boxes, intersect: false);
        }

        return polygons.Count == 0 ? new Rle(height, width, [checked((uint)(height * width))]) : RleOps.FromPolygons(polygons, height, width);
    }

    private Rle Decode() => RleOps.TryDecodeCompressed(_compressed.Span, _height, _width, out var counts, out var error)
        ? new Rle(_height, _width, counts)
        : throw new FormatException($"malformed RLE: {error}");
}
