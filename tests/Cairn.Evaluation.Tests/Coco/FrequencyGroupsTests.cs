using Cairn.Core.Formats;
using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Reports;
using Cairn.TestSupport;

namespace Cairn.Evaluation.Tests.Coco;

/// <summary>
/// LVIS-style APr/APc/APf. One 100 × 100 image; class a (r) and class c (f) are found exactly (AP 1), class b (c) is
/// not detected (AP 0), class d (f) has no objects (AP -1, left out of the mean).
/// </summary>
public sealed class FrequencyGroupsTests
{
    private const string Categories = """[{"id":1,"name":"a","frequency":"r"},{"id":2,"name":"b","frequency":"c"},{"id":3,"name":"c","frequency":"f"},{"id":4,"name":"d","frequency":"f"}]""";

    [Fact]
    public void Groups_come_from_the_lvis_frequency_field()
    {
        using var dir = new TempDir();
        var f = Evaluate(dir, Categories);
        Assert.Equal(FrequencyGroups.FromField, f.Source);
        // AP 1 is a mean of 1010 ones in floating point: within 1e-12.
        Assert.Equal((1.0, 1, 1), (Math.Round(f.Rare.Ap, 12), f.Rare.Classes, f.Rare.ClassesWithObjects));
        Assert.Equal(new FrequencyGroup(0, 1, 1), f.Common);
        Assert.Equal((1.0, 2, 1), (Math.Round(f.Frequent.Ap, 12), f.Frequent.Classes, f.Frequent.ClassesWithObjects));
    }

    [Fact]
    public void Without_the_field_groups_come_from_ground_truth_image_counts()
    {
        // Every class is in at most one image here, so all four are rare: APr = (1 + 0 + 1) / 3.
        using var dir = new TempDir();
        var f = Evaluate(dir, Categories.Replace(",\"frequency\":\"r\"", "").Replace(",\"frequency\":\"c\"", "").Replace(",\"frequency\":\"f\"", ""));
        Assert.Equal(FrequencyGroups.FromImageCounts, f.Source);
        Assert.Equal(4, f.Rare.Classes);
        Assert.Equal(2.0 / 3.0, f.Rare.Ap, 12);
        Assert.Equal(new FrequencyGroup(-1, 0, 0), f.Common);
        Assert.Equal(new FrequencyGroup(-1, 0, 0), f.Frequent);
    }

    [Fact]
    public void Image_count_borders_are_lvis_ones()
    {
        Assert.Equal(['r', 'r', 'c', 'c', 'f'], new[] { 1, 10, 11, 100, 101 }.Select(FrequencyGroups.GroupOf));
    }

    [Fact]
    public void A_bad_frequency_value_names_the_field()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<DatasetFormatException>(() => Evaluate(dir, Categories.Replace("\"frequency\":\"c\"", "\"frequency\":\"common\"")));
        Assert.Contains("$.categories[1].frequency", e.Message);
        Assert.Contains("\"common\"", e.Message);
    }

    [Fact]
    public void Metrics_json_and_report_carry_the_groups()
    {
        using var dir = new TempDir();
        var results = CocoResults.LoadPair(Write(dir, Categories), dir["dt.json"]);
        var m = MetricsJson.Create(results, CocoEvaluator.Evaluate(results, IouType.Bbox), null, "lvis");
        MetricsJson.Write(m, dir["metrics.json"]);
        Assert.Equal(m.Frequency, MetricsJson.Read(dir["metrics.json"]).Frequency);
        Assert.Contains("\"frequency\": {", File.ReadAllText(dir["metrics.json"]));
        var html = ReportWriter.RenderHtml(m);
        Assert.Contains("<a href=\"#frequency\">", html);
        Assert.Contains("<td class=\"l\">APc (common)</td><td><b>0.0</b></td>", html);
    }

    private static FrequencyGroups Evaluate(TempDir dir, string categories)
    {
        var results = CocoResults.LoadPair(Write(dir, categories), dir["dt.json"]);
        return FrequencyGroups.Compute(results.GroundTruth, CocoEvaluator.Evaluate(results, IouType.Bbox));
    }

    private static string Write(TempDir dir, string categories)
    {
        File.WriteAllText(dir["gt.json"], $$"""
            {"images":[{"id":1,"width":100,"height":100}],"categories":{{categories}},"annotations":[
             {"id":1,"image_id":1,"category_id":1,"bbox":[0,0,10,10],"area":100,"iscrowd":0},
             {"id":2,"image_id":1,"category_id":2,"bbox":[20,0,10,10],"area":100,"iscrowd":0},
             {"id":3,"image_id":1,"category_id":3,"bbox":[40,0,10,10],"area":100,"iscrowd":0}]}
            """);
        File.WriteAllText(dir["dt.json"], """
            [{"image_id":1,"category_id":1,"bbox":[0,0,10,10],"score":0.9},{"image_id":1,"category_id":3,"bbox":[40,0,10,10],"score":0.8}]
            """);
        return dir["gt.json"];
    }
}
