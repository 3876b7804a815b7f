using System.Buffers;
using System.Runtime.InteropServices;
using Cairn.Core.Masks;

namespace Cairn.Evaluation.Coco;

/// <summary>A COCO segmentation: either polygons (x0, y0, x1, y1, … in pixels) or a run-length mask.</summary>
/// <remarks>
/// A value, not an object: a results file holds half a million of them, and an object each cost more in garbage
/// collection (copying them from one generation to the next while the file was read) than reading the file did.
/// A mask read from a file stays in pycocotools' compressed string form, as a slice of the file's bytes, until
/// it is used: half a million results decoded at once held a gigabyte of run lengths.
/// The default value is a segmentation with no polygons (an empty mask).
/// </remarks>
public readonly record struct CocoSegmentation
{
    // One of: the polygons (IReadOnlyList<double[]>), a decoded mask (Rle), or what holds a compressed counts string
    // at _offset, _length (then _height, _width give its size): an array, or the file's mapping (a MemoryManager).
    private readonly object? _data;
    private readonly int _offset;
    private readonly int _length;
    private readonly int _height;
    private readonly int _width;

    private CocoSegmentation(object data)
    {
        _data = data;
    }

    private CocoSegmentation(object source, int offset, int length, int height, int width)
    {
        _data = source;
        _offset = offset;
        _length = length;
        _height = height;
        _width = width;
    }

    /// <summary>The polygons, or null for a mask.</summary>
    public IReadOnlyList<double[]>? Polygons => _data switch
    {
        null => [],
        IReadOnlyList<double[]> polygons => polygons,
        _ => null,
    };

    /// <summary>
    /// The run-length mask, or null for polygons. A mask still compressed is decoded on each read; a malformed one
    /// throws <see cref="FormatException"/>.
    /// </summary>
    public Rle? Mask => _data switch
    {
        Rle mask => mask,
        _ when IsCompressed => Decode(),
        _ => null,
    };

    /// <summary>True for a mask kept in compressed form until used.</summary>
    internal bool IsCompressed => _data is byte[] or MemoryManager<byte>;

    /// <summary>A polygon segmentation.</summary>
    public static CocoSegmentation FromPolygons(IReadOnlyList<double[]> polygons)
    {
        ArgumentNullException.ThrowIfNull(polygons);
        return new(polygons);
    }

    /// <summary>A mask segmentation.</summary>
    public static CocoSegmentation FromMask(Rle mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return new(mask);
    }

    /// <summary>A mask in pycocotools' compressed string form (UTF-8), decoded and checked when used.</summary>
    internal static CocoSegmentation FromCompressed(ReadOnlyMemory<byte> counts, int height, int width)
    {
        if (MemoryMarshal.TryGetArray(counts, out var segment))
        {
            return new(segment.Array!, segment.Offset, segment.Count, height, width);
        }

        return MemoryMarshal.TryGetMemoryManager(counts, out MemoryManager<byte>? manager, out var start, out var length)
            ? new(manager, start, length, height, width)
            : new(counts.ToArray(), 0, counts.Length, height, width);
    }

    /// <summary>The compressed counts string and the mask's size, when this is a mask not yet decoded.</summary>
    internal bool TryGetCompressed(out ReadOnlySpan<byte> counts, out int height, out int width)
    {
        if (IsCompressed)
        {
            counts = Counts();
            (height, width) = (_height, _width);
            return true;
        }

        counts = default;
        height = width = 0;
        return false;
    }

    /// <summary>
    /// The mask on an image of the given size, as pycocotools' annToRLE: polygons are rasterised and merged
    /// (a first polygon of exactly four numbers makes pycocotools read every entry as a box, and so does this).
    /// </summary>
    public Rle ToRle(int height, int width)
    {
        if (_data is Rle mask)
        {
            return mask;
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

    private ReadOnlySpan<byte> Counts() => _data is byte[] array
        ? array.AsSpan(_offset, _length)
        : ((MemoryManager<byte>)_data!).GetSpan().Slice(_offset, _length);

    private Rle Decode() => RleOps.TryDecodeCompressed(Counts(), _height, _width, out var counts, out var error)
        ? new Rle(_height, _width, counts)
        : throw new FormatException($"malformed RLE: {error}");
}
