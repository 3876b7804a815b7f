using System.Text.Json;
using Cairn.Evaluation.Coco;
using Cairn.TestSupport;

namespace Cairn.Evaluation.Tests.Coco;

/// <summary>
/// Parity with pycocotools' COCOeval. Expected values are the files' expected.json, written by pycocotools
/// (cocoapi 8c9bcc3) as described in ../shared/data/README.md; tolerance 1e-9 as the issue demands.
/// </summary>
public sealed class CocoParityTests
{
    private const double Tolerance = 1e-9;

    [Theory]
    [InlineData("bbox", "instances_val2014_fakebbox100_results.json")]
    [InlineData("segm", "instances_val2014_fakesegm100_results.json")]
    public void Val2014_100_stats_equal_pycocotools(string iouType, string results)
    {
        var dir = SharedData.Resolve("coco-val2014-100");
        var gt = CocoDataset.Load(Path.Combine(dir, "instances_val2014_100.json"));
        var dt = CocoResults.Load(Path.Combine(dir, results), gt);
        var result = CocoEvaluator.Evaluate(dt, Parse(iouType));
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "expected.json")));
        AssertStats(expected.RootElement.GetProperty(iouType), result);
    }

    [Theory]
    [InlineData("bbox", "dt_bbox.json")]
    [InlineData("segm", "dt_segm.json")]
    public void Synthetic_small_stats_and_per_class_ap_equal_pycocotools(string iouType, string results)
    {
        var dir = SharedData.Resolve("coco-synthetic-small");
        var gt = CocoDataset.Load(Path.Combine(dir, "gt.json"));
        var dt = CocoResults.Load(Path.Combine(dir, results), gt);
        var result = CocoEvaluator.Evaluate(dt, Parse(iouType));
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "expected.json")));
        var e = expected.RootElement.GetProperty(iouType);
        AssertStats(e.GetProperty("stats"), result);
        var perClass = e.GetProperty("ap_per_class");
        Assert.Equal(result.Categories.Count, perClass.EnumerateObject().Count());
        for (var k = 0; k < result.Categories.Count; k++)
        {
            var want = perClass.GetProperty(result.Categories[k].Id.ToString()).GetDouble();
            Assert.True(Math.Abs(want - result.CategoryAp(k)) <= Tolerance, $"{iouType} AP of category {result.Categories[k].Id}: expected {want}, got {result.CategoryAp(k)}");
        }
    }

    [Fact]
    public void Summary_prints_the_pycocotools_lines()
    {
        var dir = SharedData.Resolve("coco-val2014-100");
        var gt = CocoDataset.Load(Path.Combine(dir, "instances_val2014_100.json"));
        var result = CocoEvaluator.Evaluate(CocoResults.Load(Path.Combine(dir, "instances_val2014_fakebbox100_results.json"), gt), IouType.Bbox);
        var lines = result.Summary().TrimEnd('\n').Split('\n');
        Assert.Equal(12, lines.Length);
        // Layout of pycocotools' summarize() (iStr format), values rounded to 3 places.
        Assert.Equal(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.505", lines[0]);
        Assert.Equal(" Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 0.697", lines[1]);
        Assert.Equal(" Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.387", lines[6]);
        Assert.Equal(" Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.564", lines[11]);
    }

    private static IouType Parse(string s) => s == "bbox" ? IouType.Bbox : IouType.Segm;

    private static void AssertStats(JsonElement expected, CocoEvalResult result)
    {
        var want = expected.EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(12, want.Length);
        for (var i = 0; i < 12; i++)
        {
            Assert.True(Math.Abs(want[i] - result.Stats[i]) <= Tolerance, $"stat {i} ({CocoEvalResult.StatNames[i]}): expected {want[i]:R}, got {result.Stats[i]:R}");
        }
    }
}
