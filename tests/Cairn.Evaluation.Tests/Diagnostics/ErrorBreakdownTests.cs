using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Diagnostics;

namespace Cairn.Evaluation.Tests.Diagnostics;

/// <summary>
/// A hand-built image (100 × 100) with one error of each TIDE type. Objects, 10 × 10 boxes: class 1 at g1 (0,0),
/// g2 (20,0), g6 (0,30); class 2 at g3 (40,0), g4 (60,0), g5 (80,0). Detections, best first:
/// d1 class 1 on g1 (0.9, hit); d2 class 1 on g1 again (0.8, Dupe); d3 class 1 at (25,0) (0.7, IoU 50/150 with g2: Loc);
/// d4 class 1 on g3 (0.6, Cls); d5 class 2 at (0,60) (0.5, overlaps nothing: Bkg); d6 class 1 at (65,0) (0.4, IoU 1/3
/// with g4 of class 2: Both); d7 class 1 on g6 (0.3, hit); d8 class 2 on g5 (0.2, hit). g4 is Missed (only Both points at it).
/// Expected APs are worked out by hand with COCO's 101 recall points; each is a multiple of 1/202 (two classes).
/// </summary>
public sealed class ErrorBreakdownTests
{
    private static readonly ErrorBreakdown E = DetectionDiagnostics.Compute(Scene()).Errors!;

    private static ErrorImpact Of(string type) => E.Errors.Single(e => e.Type == type);

    [Fact]
    public void Each_false_positive_and_missed_object_gets_its_type()
    {
        Assert.Equal(["cls", "loc", "both", "dupe", "bkg", "missed"], E.Errors.Select(e => e.Type));
        Assert.All(E.Errors, e => Assert.Equal(1, e.Count));
        Assert.Equal(0.5, E.ForegroundIou);
        Assert.Equal(0.1, E.BackgroundIou);
    }

    [Fact]
    public void Base_ap_is_the_mean_of_the_class_aps_at_iou_50()
    {
        // Class 1: hit, 4 misses, hit over 3 objects → (34 × 1 + 33 × 1/3) / 101 = 45/101.
        // Class 2: miss, hit over 3 objects → 34 × 0.5 / 101 = 17/101.
        Assert.Equal(62.0 / 202, E.Ap, 12);
    }

    [Fact]
    public void Delta_ap_of_each_fix_matches_the_hand_computation()
    {
        // cls: d4 becomes a hit on g3 in class 2 (class 1 47.2/101, class 2 56/101).
        Assert.Equal(41.2 / 202, Of("cls").DeltaAp, 12);
        // loc: d3 becomes a hit on g2 (class 1 (34 + 33 × 2/3 + 34 × 1/2) / 101 = 73/101).
        Assert.Equal(28.0 / 202, Of("loc").DeltaAp, 12);
        // dupe and both: removing one miss ranked before class 1's second hit (class 1 47.2/101).
        Assert.Equal(2.2 / 202, Of("dupe").DeltaAp, 12);
        Assert.Equal(2.2 / 202, Of("both").DeltaAp, 12);
        // bkg: class 2's only miss before its hit goes (34/101).
        Assert.Equal(17.0 / 202, Of("bkg").DeltaAp, 12);
        // missed: class 2 counts 2 objects (51 × 0.5 / 101).
        Assert.Equal(8.5 / 202, Of("missed").DeltaAp, 12);
    }

    [Fact]
    public void Fixing_errors_never_lowers_ap_and_ranks_the_costliest_first()
    {
        Assert.All(E.Errors, e => Assert.True(e.DeltaAp >= 0, $"{e.Type}: {e.DeltaAp}"));
        Assert.Equal(["cls", "loc", "bkg", "missed"], E.Errors.OrderByDescending(e => e.DeltaAp).Take(4).Select(e => e.Type));
    }

    [Fact]
    public void A_perfect_model_has_no_errors()
    {
        var gt = Scene().GroundTruth;
        var perfect = CocoResults.Create(gt, [.. gt.Annotations.Select(a => new CocoDetection(1, a.CategoryId, 0.9, a.Box))]);
        var e = DetectionDiagnostics.Compute(perfect).Errors!;
        Assert.Equal(1.0, e.Ap, 12);
        Assert.All(e.Errors, x => Assert.Equal((0, 0.0), (x.Count, x.DeltaAp)));
    }

    internal static CocoResults Scene()
    {
        static CocoAnnotation Gt(long id, long cat, double x, double y) => new(id, 1, cat, new CocoBox(x, y, 10, 10), 100);
        var gt = CocoDataset.Create(
            [new CocoImage(1, 100, 100, "a.jpg")],
            [new CocoCategory(1, "class_1"), new CocoCategory(2, "class_2")],
            [Gt(1, 1, 0, 0), Gt(2, 1, 20, 0), Gt(6, 1, 0, 30), Gt(3, 2, 40, 0), Gt(4, 2, 60, 0), Gt(5, 2, 80, 0)]);
        static CocoDetection Dt(long cat, double score, double x, double y) => new(1, cat, score, new CocoBox(x, y, 10, 10));
        return CocoResults.Create(gt,
        [
            Dt(1, 0.9, 0, 0), Dt(1, 0.8, 0, 0), Dt(1, 0.7, 25, 0), Dt(1, 0.6, 40, 0),
            Dt(2, 0.5, 0, 60), Dt(1, 0.4, 65, 0), Dt(1, 0.3, 0, 30), Dt(2, 0.2, 80, 0),
        ]);
    }
}
