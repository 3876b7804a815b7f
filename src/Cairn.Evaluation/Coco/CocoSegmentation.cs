using Cairn.Core.Masks;

namespace Cairn.Evaluation.Coco;

/// <summary>A COCO segmentation: either polygons (x0, y0, x1, y1, … in pixels) or a run-length mask.</summary>
public sealed record CocoSegmentation
{
    private CocoSegmentation(IReadOnlyList<double[]>? polygons, Rle? mask)
    {
        Polygons = polygons;
        Mask = mask;
    }

    /// <summary>The polygons, or null for a mask.</summary>
    public IReadOnlyList<double[]>? Polygons { get; }

    /// <summary>The run-length mask, or null for polygons.</summary>
    public Rle? Mask { get; }

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

    /// <summary>
    /// The mask on an image of the given size, as pycocotools' annToRLE: polygons are rasterised and merged
    /// (a first polygon of exactly four numbers makes pycocotools read every entry as a box, and so does this).
    /// </summary>
    public Rle ToRle(int height, int width)
    {
        if (Mask is not null)
        {
            return Mask;
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
}
