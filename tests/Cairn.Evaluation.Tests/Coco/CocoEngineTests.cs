using Cairn.Evaluation.Coco;

namespace Cairn.Evaluation.Tests.Coco;

/// <summary>The optimised engine against the plain transliteration of COCOeval (<see cref="ReferenceCocoEval"/>).</summary>
public sealed class CocoEngineTests
{
    [Theory]
    [InlineData(1, 120, 5, 40)]
    [InlineData(2, 60, 3, 90)]
    public void Engine_equals_plain_cocoeval_on_random_data(int seed, int images, int cats, int detsPerImage)
    {
        var (gt, dets) = SyntheticCoco.Make(seed, images, cats, detsPerImage);
        var results = CocoResults.Create(gt, dets);
        var fast = CocoEvaluator.Evaluate(results, IouType.Bbox);
        var (precision, recall) = ReferenceCocoEval.Run(results);
        Assert.Equal(precision.Length, fast.Precision.Length);
        for (var i = 0; i < precision.Length; i++)
        {
            Assert.True(precision[i] == fast.Precision[i], $"precision[{i}]: reference {precision[i]:R}, engine {fast.Precision[i]:R}");
        }

        for (var i = 0; i < recall.Length; i++)
        {
            Assert.True(recall[i] == fast.Recall[i], $"recall[{i}]: reference {recall[i]:R}, engine {fast.Recall[i]:R}");
        }

        Assert.Contains(fast.Stats, s => s > 0);
    }

    [Fact]
    public void Category_without_ground_truth_is_minus_one()
    {
        var (gt, dets) = SyntheticCoco.Make(3, 40, 4, 20);
        var result = CocoEvaluator.Evaluate(gt, dets, IouType.Bbox);
        Assert.Equal(-1, result.CategoryAp(3)); // class 4 only ever gets detections
        Assert.True(result.CategoryAp(0) >= 0);
    }

    [Fact]
    public void Same_result_on_one_core_and_many()
    {
        var (gt, dets) = SyntheticCoco.Make(4, 80, 6, 60);
        var a = CocoEvaluator.Evaluate(gt, dets, IouType.Bbox);
        var b = CocoEvaluator.Evaluate(gt, dets, IouType.Bbox);
        Assert.Equal(a.Precision, b.Precision);
    }
}
