using Cairn.Core.Masks;

namespace Cairn.Evaluation.Coco.Internal;

/// <summary>A mask with the box pycocotools' rleIou uses to skip pairs that cannot overlap.</summary>
internal readonly struct PreparedMask
{
    public PreparedMask(Rle rle)
    {
        Counts = rle.Counts;
        Height = rle.Height;
        Width = rle.Width;
        (X, Y, W, H) = RleOps.BoundingBox(rle.Counts, rle.Height, rle.Width);
        Area = RleOps.Area(rle.Counts);
    }

    public uint[] Counts { get; }

    public int Height { get; }

    public int Width { get; }

    public double X { get; }

    public double Y { get; }

    public double W { get; }

    public double H { get; }

    public uint Area { get; }
}
