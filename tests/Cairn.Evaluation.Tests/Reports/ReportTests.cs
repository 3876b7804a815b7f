using System.Text.Json;
using System.Text.RegularExpressions;
using Cairn.Core.Formats;
using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Comparison;
using Cairn.Evaluation.Diagnostics;
using Cairn.Evaluation.Reports;
using Cairn.Evaluation.Tests.Diagnostics;
using Cairn.TestSupport;

namespace Cairn.Evaluation.Tests.Reports;

public sealed partial class ReportTests
{
    [Fact]
    public void Metrics_json_round_trips_every_number()
    {
        var m = Metrics(DetectionDiagnosticsTests.Scene(), "scene");
        using var dir = new TempDir();
        var path = dir["metrics.json"];
        MetricsJson.Write(m, path);
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(path)))
        {
            Assert.Equal(12, doc.RootElement.GetProperty("stats").GetArrayLength());
            Assert.True(doc.RootElement.GetProperty("per_class").TryGetProperty("class_1", out _));
            Assert.Equal(2, doc.RootElement.GetProperty("diagnostics").GetProperty("overall").GetProperty("tp").GetInt32());
        }

        var back = MetricsJson.Read(path);
        Assert.Equal(m.Stats, back.Stats);
        Assert.Equal(m.Diagnostics!.Overall, back.Diagnostics!.Overall);
        Assert.Equal(m.Diagnostics.Confusion.Counts.SelectMany(r => r), back.Diagnostics.Confusion.Counts.SelectMany(r => r));
        Assert.Equal(m.PerClass["class_1"], back.PerClass["class_1"]);
        Assert.Equal(m.Dataset.GroundTruthFingerprint, back.Dataset.GroundTruthFingerprint);
    }

    [Fact]
    public void Metrics_json_from_compiled_metadata_equals_the_reflection_serializer_output()
    {
        // MetricsJson uses source-generated metadata for start-up speed; the bytes must stay what reflection wrote.
        var m = Metrics(ErrorBreakdownTests.Scene(), "scene");
        var reflection = new JsonSerializerOptions(MetricsJson.Options) { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };
        Assert.Equal(JsonSerializer.Serialize(m, reflection), MetricsJson.ToJson(m));
    }

    [Fact]
    public void Reading_a_file_that_is_not_metrics_names_it()
    {
        var gt = Path.Combine(SharedData.Resolve("coco-val2014-100"), "instances_val2014_100.json");
        var e = Assert.Throws<DatasetFormatException>(() => MetricsJson.Read(gt));
        Assert.Equal(gt, e.File);
    }

    [Fact]
    public void Report_has_every_section_and_nothing_external()
    {
        var html = ReportWriter.RenderHtml(Metrics(DetectionDiagnosticsTests.Scene(), "scene"));
        foreach (var id in new[] { "overview", "key", "outcomes", "per-class", "pr", "confusion", "confused", "iou", "calibration", "confidence", "ap" })
        {
            Assert.Contains($"<section id=\"{id}\">", html);
        }

        Assert.DoesNotMatch(External(), html);
        Assert.Equal(Regex.Count(html, "<svg "), Regex.Count(html, "</svg>"));
        Assert.True(Regex.Count(html, "<svg ") >= 8);
    }

    [Fact]
    public void Error_breakdown_is_in_metrics_json_and_has_a_report_section_with_a_menu_entry()
    {
        var m = Metrics(ErrorBreakdownTests.Scene(), "tide");
        using var dir = new TempDir();
        var path = dir["metrics.json"];
        MetricsJson.Write(m, path);
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(path)))
        {
            var errors = doc.RootElement.GetProperty("diagnostics").GetProperty("errors");
            Assert.Equal(0.1, errors.GetProperty("background_iou").GetDouble());
            Assert.Equal("cls", errors.GetProperty("errors")[0].GetProperty("type").GetString());
            Assert.Equal(41.2 / 202, errors.GetProperty("errors")[0].GetProperty("delta_ap").GetDouble(), 12);
        }

        Assert.Equal(m.Diagnostics!.Errors!.Errors, MetricsJson.Read(path).Diagnostics!.Errors!.Errors);
        var html = ReportWriter.RenderHtml(m);
        Assert.Contains("<section id=\"errors\"><h2>Error breakdown</h2>", html);
        Assert.Contains("<a href=\"#errors\">Error breakdown</a>", html);
        Assert.Contains("<td class=\"l\">Classification</td><td>1</td><td><b>20.40</b></td>", html); // 41.2/202 = 0.2040 → 20.40 points
        Assert.DoesNotMatch(External(), html);
    }

    [Fact]
    public void Comparison_marks_best_and_refuses_other_ground_truth()
    {
        var dir = SharedData.Resolve("coco-val2014-100");
        var gt = CocoDataset.Load(Path.Combine(dir, "instances_val2014_100.json"));
        var all = CocoResults.Load(Path.Combine(dir, "instances_val2014_fakebbox100_results.json"), gt);
        var half = CocoResults.Create(gt, [.. all.Detections.Where((_, i) => i % 2 == 0)], "half.json");
        var a = Metrics(all, "all");
        var b = Metrics(half, "half");
        var cmp = EvaluationComparison.TryCreate([a, b], out var problem);
        Assert.NotNull(cmp);
        Assert.Empty(problem);
        var ap = cmp.KeyMetrics[0];
        Assert.Equal(a.Stats[0], ap.Values[0]);
        Assert.Equal(a.Stats[0] >= b.Stats[0] ? 0 : 1, ap.BestIndex);
        Assert.Equal(b.Stats[0] - a.Stats[0], ap.DeltaFromFirst(1), 12);
        var fp = cmp.KeyMetrics.Single(r => r.Name == "false positives");
        Assert.False(fp.HigherIsBetter);
        var html = ComparisonWriter.RenderHtml(cmp);
        Assert.Contains("class=\"best\"", html);
        Assert.DoesNotMatch(External(), html);

        var other = Metrics(DetectionDiagnosticsTests.Scene(), "scene");
        Assert.Null(EvaluationComparison.TryCreate([a, other], out problem));
        Assert.Contains("different ground truth", problem);
    }

    [Fact]
    public void Comparison_of_the_same_data_under_other_class_names_names_the_class_lists_not_the_ground_truth()
    {
        // The same 100 images and 839 objects; the second model's classes named differently (as a model registered
        // without names gets class_0…), which makes the ground truth's categories differ.
        var dir = SharedData.Resolve("coco-val2014-100");
        var gt = CocoDataset.Load(Path.Combine(dir, "instances_val2014_100.json"));
        var renamed = CocoDataset.Create(gt.Images, [.. gt.Categories.Select(c => c with { Name = "class_" + c.Id })], gt.Annotations, gt.Source);
        var all = CocoResults.Load(Path.Combine(dir, "instances_val2014_fakebbox100_results.json"), gt);
        var a = Metrics(all, "named");
        var b = Metrics(CocoResults.Create(renamed, all.Detections, "unnamed"), "unnamed");

        Assert.Null(EvaluationComparison.TryCreate([a, b], out var problem));
        Assert.Contains("same data", problem);
        Assert.Contains("different class lists", problem);
        Assert.Contains("class_1, class_2", problem);
        Assert.Contains("person, bicycle", problem);
        Assert.DoesNotContain("different ground truth", problem);
    }

    private static EvaluationMetrics Metrics(CocoResults r, string name)
    {
        var coco = CocoEvaluator.Evaluate(r, IouType.Bbox);
        return MetricsJson.Create(r, coco, DetectionDiagnostics.Compute(r), name);
    }

    [GeneratedRegex("(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex External();
}
