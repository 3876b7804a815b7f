using Cairn.Core.Masks;
using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Coco.Internal;

namespace Cairn.Evaluation.Tests.Coco;

/// <summary>
/// Boundary IoU (Cheng et al. 2021, boundary-iou-api). On a 100 × 100 image the dilation is round(0.02 × 141.42) = 3,
/// so a pixel is interior when the 7 × 7 square around it lies in the mask (and in the image). Expected values are
/// worked out by hand in each test.
/// </summary>
public sealed class BoundaryIouTests
{
    private const int Size = 100;

    [Fact]
    public void Dilation_is_two_percent_of_the_diagonal_and_at_least_one()
    {
        Assert.Equal(3, BoundaryMask.Dilation(100, 100)); // 2.83
        Assert.Equal(16, BoundaryMask.Dilation(480, 640)); // 0.02 × 800
        Assert.Equal(2, BoundaryMask.Dilation(75, 100)); // 0.02 × 125 = 2.5: Python's round goes to the even 2
        Assert.Equal(1, BoundaryMask.Dilation(10, 10)); // 0.28 rounds to 0, raised to 1
    }

    [Fact]
    public void Boundary_of_a_square_is_the_ring_within_d_of_its_edge()
    {
        // 20 × 20 square at (10, 10): interior [13, 27)² = 196 pixels, boundary 400 − 196 = 204.
        var b = Boundary(Square(10, 10, 20, 20));
        Assert.Equal(204, b.Count(p => p == 1));
        Assert.Equal(1, b[At(10, 10)]);
        Assert.Equal(1, b[At(12, 20)]);
        Assert.Equal(0, b[At(13, 20)]);
        Assert.Equal(0, b[At(20, 20)]);
        Assert.Equal(0, b[At(9, 9)]);
    }

    [Fact]
    public void The_image_border_counts_as_outside()
    {
        // The whole image: everything within 3 pixels of the border, 100² − 94² = 1164 pixels.
        Assert.Equal(1164, Boundary(Square(0, 0, Size, Size)).Count(p => p == 1));
        // A square in the corner has the same 204-pixel ring as one in the middle.
        Assert.Equal(204, Boundary(Square(0, 0, 20, 20)).Count(p => p == 1));
    }

    [Fact]
    public void Boundary_equals_a_brute_force_erosion_on_random_masks()
    {
        var rng = new Random(7);
        for (var n = 0; n < 60; n++)
        {
            int h = rng.Next(5, 60), w = rng.Next(5, 60);
            var poly = Enumerable.Range(0, 2 * rng.Next(3, 9)).Select(i => rng.NextDouble() * (i % 2 == 0 ? w : h) * 1.2 - 2).ToArray();
            var mask = RleOps.FromPolygon(poly, h, w);
            var bits = mask.Decode();
            var d = BoundaryMask.Dilation(h, w);
            var expected = new byte[h * w];
            for (var x = 0; x < w; x++)
            {
                for (var y = 0; y < h; y++)
                {
                    var interior = true;
                    for (var dx = -d; dx <= d && interior; dx++)
                    {
                        for (var dy = -d; dy <= d && interior; dy++)
                        {
                            int xx = x + dx, yy = y + dy;
                            interior = xx >= 0 && yy >= 0 && xx < w && yy < h && bits[(xx * h) + yy] == 1;
                        }
                    }

                    expected[(x * h) + y] = (byte)(bits[(x * h) + y] == 1 && !interior ? 1 : 0);
                }
            }

            var got = new Rle(h, w, BoundaryMask.Of(mask.Counts, h, w));
            Assert.Equal((long)h * w, got.Counts.Sum(c => (long)c));
            Assert.Equal(expected, got.Decode());
        }
    }

    [Fact]
    public void Boundary_evaluation_takes_the_smaller_of_mask_and_boundary_iou()
    {
        // Object: 20 × 20 square at (10, 10); detection: the same shifted 2 px right.
        // Mask IoU 360 / 440 = 0.818: a hit at IoU .50 … .80 (7 of 10 thresholds), segm AP 0.7.
        // Boundary regions: 204 pixels each; they share the 360-pixel overlap less both interiors' union
        // ([13, 29) × [13, 27) = 224 pixels), 136; IoU 136 / (204 + 204 − 136) = 0.5: a hit at .50 only, AP 0.1.
        var gt = CocoDataset.Create(
            [new CocoImage(1, Size, Size, "a.png")],
            [new CocoCategory(1, "square")],
            [new CocoAnnotation(1, 1, 1, new CocoBox(10, 10, 20, 20), 400, Segmentation: CocoSegmentation.FromMask(SquareRle(10, 10)))]);
        CocoDetection[] dets = [new CocoDetection(1, 1, 0.9, null, CocoSegmentation.FromMask(SquareRle(12, 10)))];
        Assert.Equal(0.7, CocoEvaluator.Evaluate(gt, dets, IouType.Segm).Stats[0], 12);
        Assert.Equal(0.1, CocoEvaluator.Evaluate(gt, dets, IouType.Boundary).Stats[0], 12);
    }

    private static int At(int x, int y) => (x * Size) + y;

    private static byte[] Square(int x0, int y0, int w, int h)
    {
        var m = new byte[Size * Size];
        for (var x = x0; x < x0 + w; x++)
        {
            for (var y = y0; y < y0 + h; y++)
            {
                m[At(x, y)] = 1;
            }
        }

        return m;
    }

    private static Rle SquareRle(int x0, int y0) => Rle.Encode(Square(x0, y0, 20, 20), Size, Size);

    private static byte[] Boundary(byte[] mask)
    {
        var rle = Rle.Encode(mask, Size, Size);
        return new Rle(Size, Size, BoundaryMask.Of(rle.Counts, Size, Size)).Decode();
    }
}
