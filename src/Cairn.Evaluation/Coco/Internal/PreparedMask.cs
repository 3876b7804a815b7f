using Cairn.Core.Masks;

namespace Cairn.Evaluation.Coco.Internal;

/// <summary>
/// A mask with its area and the box pycocotools' rleIou uses to skip pairs that cannot overlap. The box costs a walk
/// over the runs, so it is only made where an IoU needs it (<see cref="WithBox"/>). The run lengths may live in a
/// worker's reused buffer (<see cref="MaskBuffer"/>): such a mask is valid until the worker's next image.
/// </summary>
internal readonly struct PreparedMask
{
    public PreparedMask(Rle rle, bool withBox = true)
        : this(rle.Counts, rle.Height, rle.Width, withBox)
    {
    }

    public PreparedMask(ReadOnlyMemory<uint> counts, int height, int width, bool withBox = true)
    {
        Counts = counts;
        Height = height;
        Width = width;
        IsMade = true;
        if (withBox)
        {
            (X, Y, W, H) = RleOps.BoundingBox(counts.Span, height, width);
            HasBox = true;
        }

        Area = RleOps.Area(counts.Span);
    }

    private PreparedMask(in PreparedMask m)
    {
        Counts = m.Counts;
        Height = m.Height;
        Width = m.Width;
        Area = m.Area;
        Boundary = m.Boundary;
        IsMade = true;
        (X, Y, W, H) = RleOps.BoundingBox(m.Counts.Span, m.Height, m.Width);
        HasBox = true;
    }

    /// <summary>False for the default value (a slot not filled yet).</summary>
    public bool IsMade { get; }

    public bool HasBox { get; }

    public ReadOnlyMemory<uint> Counts { get; }

    public int Height { get; }

    public int Width { get; }

    public double X { get; }

    public double Y { get; }

    public double W { get; }

    public double H { get; }

    public uint Area { get; }

    /// <summary>Run lengths of the boundary region (Boundary IoU evaluation only).</summary>
    public uint[]? Boundary { get; init; }

    /// <summary>This mask with its box made.</summary>
    public PreparedMask WithBox() => HasBox ? this : new PreparedMask(in this);
}
