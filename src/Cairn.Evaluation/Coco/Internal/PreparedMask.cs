using Cairn.Core.Masks;

namespace Cairn.Evaluation.Coco.Internal;

/// <summary>
/// A mask with its area and the box pycocotools' rleIou uses to skip pairs that cannot overlap. The box costs a walk
/// over the runs, so it is only made where an IoU needs it (<see cref="WithBox"/>).
/// </summary>
internal readonly struct PreparedMask
{
    public PreparedMask(Rle rle, bool withBox = true)
    {
        Counts = rle.Counts;
        Height = rle.Height;
        Width = rle.Width;
        if (withBox)
        {
            (X, Y, W, H) = RleOps.BoundingBox(rle.Counts, rle.Height, rle.Width);
            HasBox = true;
        }

        Area = RleOps.Area(rle.Counts);
    }

    private PreparedMask(in PreparedMask m)
    {
        Counts = m.Counts;
        Height = m.Height;
        Width = m.Width;
        Area = m.Area;
        Boundary = m.Boundary;
        (X, Y, W, H) = RleOps.BoundingBox(m.Counts, m.Height, m.Width);
        HasBox = true;
    }

    public bool HasBox { get; }

    public uint[] Counts { get; }

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
