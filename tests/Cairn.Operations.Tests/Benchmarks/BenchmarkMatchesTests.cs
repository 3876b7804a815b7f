using System.Text;
using Cairn.Evaluation.Coco;
using Cairn.Operations.Benchmarks;

namespace Cairn.Operations.Tests.Benchmarks;

public sealed class BenchmarkMatchesTests
{
    // One 100×100 image. Ground truth: a circle at (10,10,20,20), a square at (50,50,20,20), a crowd circle over the
    // top right. Predictions, best first: a circle on the circle (IoU 0.81: TP); a square on the same circle (FP; in
    // the class-agnostic pass the circle is taken by then, so it counts as background); a circle inside the crowd
    // region (ignored); a square on the square, below the confidence threshold (dropped, so the square is missed: FN).
    private static BenchmarkMatches Sample()
    {
        CocoCategory[] categories = [new(1, "circle"), new(2, "square")];
        CocoAnnotation[] gt =
        [
            new(1, 1, 1, new CocoBox(10, 10, 20, 20), 400),
            new(2, 1, 2, new CocoBox(50, 50, 20, 20), 400),
            new(3, 1, 1, new CocoBox(50, 0, 50, 40), 2000, IsCrowd: true),
        ];
        var ground = CocoDataset.Create([new CocoImage(1, 100, 100, "a.png")], categories, gt);
        CocoDetection[] dets =
        [
            new(1, 1, 0.9, new CocoBox(11, 11, 18, 18)),
            new(1, 2, 0.8, new CocoBox(10, 10, 20, 20)),
            new(1, 1, 0.7, new CocoBox(60, 5, 10, 10)),
            new(1, 2, 0.1, new CocoBox(50, 50, 20, 20)),
        ];
        return BenchmarkMatches.Compute(ground, dets, [new BenchmarkImage("val", "a.png", "ab", 100, 100)], 0.5, 0.25);
    }

    [Fact]
    public void Matching_gives_tp_fp_fn_and_ignores_crowd_regions_and_low_scores()
    {
        var image = Sample().Images.Single();
        Assert.Equal([MatchedBox.Tp, MatchedBox.Fp, MatchedBox.Ignored], image.Detections.Select(d => d.Outcome));
        Assert.Equal([MatchedBox.Tp, MatchedBox.Fn, MatchedBox.Ignored], image.GroundTruths.Select(g => g.Outcome));
        Assert.Equal((1, 1, 1), (image.Tp, image.Fp, image.Fn));

        // Confusion: the square prediction overlaps only the circle the first prediction took: background. The
        // square ground truth had nothing predicted on it: a (square, background) cell.
        Assert.Equal(-1, image.Detections[1].Other);
        Assert.True(image.HasConfusion(-1, 1));
        Assert.True(image.HasConfusion(1, -1));
        Assert.False(image.HasConfusion(0, 1));
    }

    [Fact]
    public void Format_version_1_bytes_are_pinned_and_read_back()
    {
        var bytes = Sample().ToUtf8();
        const string Expected =
            "{\"v\":1,\"iou\":0.5,\"conf\":0.25,\"classes\":[\"circle\",\"square\"],\"images\":[{\"dataset\":\"val\",\"name\":\"a.png\",\"image\":\"ab\",\"w\":100,\"h\":100," +
            "\"gt\":[{\"c\":0,\"b\":[10,10,20,20],\"o\":\"tp\",\"x\":0},{\"c\":1,\"b\":[50,50,20,20],\"o\":\"fn\",\"x\":-1},{\"c\":0,\"b\":[50,0,50,40],\"o\":\"ignored\",\"x\":-1}]," +
            "\"dt\":[{\"c\":0,\"b\":[11,11,18,18],\"o\":\"tp\",\"x\":0,\"s\":0.9},{\"c\":1,\"b\":[10,10,20,20],\"o\":\"fp\",\"x\":-1,\"s\":0.8},{\"c\":0,\"b\":[60,5,10,10],\"o\":\"ignored\",\"x\":-2,\"s\":0.7}]}]}";
        Assert.Equal(Expected, Encoding.UTF8.GetString(bytes));
        var back = BenchmarkMatches.Parse(bytes, "matches.json");
        Assert.Equal(3, back.Images[0].Detections.Count);
        Assert.Equal(0.8, back.Images[0].Detections[1].Score);

        var wrong = Encoding.UTF8.GetBytes(Expected.Replace("{\"v\":1", "{\"v\":2", StringComparison.Ordinal));
        var e = Assert.Throws<InvalidDataException>(() => BenchmarkMatches.Parse(wrong, "m.json"));
        Assert.Contains("m.json: expected a benchmark matches document of format version 1", e.Message, StringComparison.Ordinal);
    }
}
