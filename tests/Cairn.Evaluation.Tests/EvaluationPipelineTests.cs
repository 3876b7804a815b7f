using System.Text.Json.Nodes;
using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Diagnostics;
using Cairn.Evaluation.Reports;
using Cairn.TestSupport;

namespace Cairn.Evaluation.Tests;

public sealed class EvaluationPipelineTests
{
    private static readonly string Val = SharedData.Resolve("coco-val2014-100");

    [Fact]
    public void Pipeline_writes_the_metrics_json_of_evaluation_then_diagnostics_run_by_hand()
    {
        var results = CocoResults.LoadPair(Path.Combine(Val, "instances_val2014_100.json"), Path.Combine(Val, "instances_val2014_fakebbox100_results.json"));
        var diagnostics = new DiagnosticsOptions { IouThreshold = 0.75 };
        var outcome = EvaluationPipeline.Run(results, new EvaluationOptions { Name = "run", Diagnostics = diagnostics, Timings = new Dictionary<string, double> { ["load"] = 1 } });

        var coco = CocoEvaluator.Evaluate(results, IouType.Bbox);
        var byHand = MetricsJson.Create(results, coco, DetectionDiagnostics.Compute(results, diagnostics), "run");
        Assert.Equal(Comparable(MetricsJson.ToJson(byHand)), Comparable(outcome.MetricsJson()));
        Assert.Equal(["load", "evaluate", "diagnostics"], outcome.Metrics.TimingsS!.Keys);
        Assert.Equal(coco.Stats, outcome.Result.Stats);
    }

    [Fact]
    public void Pipeline_without_diagnostics_leaves_them_out_of_metrics_json()
    {
        var results = CocoResults.LoadPair(Path.Combine(Val, "instances_val2014_100.json"), Path.Combine(Val, "instances_val2014_fakebbox100_results.json"));
        var outcome = EvaluationPipeline.Run(results, new EvaluationOptions { Diagnostics = null });
        Assert.Null(outcome.Diagnostics);
        Assert.Null(JsonNode.Parse(outcome.MetricsJson())!["diagnostics"]);
        Assert.Equal(["evaluate"], outcome.Metrics.TimingsS!.Keys);
    }

    [Fact]
    public void Speed_section_is_a_section_of_the_report_and_of_its_menu()
    {
        var results = CocoResults.LoadPair(Path.Combine(Val, "instances_val2014_100.json"), Path.Combine(Val, "instances_val2014_fakebbox100_results.json"));
        var outcome = EvaluationPipeline.Run(results, new EvaluationOptions()) with
        {
            Speed = new SpeedReport("Device CPU <test>", [new SpeedReportBatch(8, 2, new(4, 1), new(40, 2), new(6, 1), new(50, 3), 160, 0.2)]),
        };

        var html = outcome.ReportHtml();
        var nav = html[html.IndexOf("<nav>", StringComparison.Ordinal)..html.IndexOf("</nav>", StringComparison.Ordinal)];
        Assert.Contains("<a href=\"#speed\">Inference speed</a>", nav);
        Assert.Equal(1, html.Split("<section id=\"speed\">").Length - 1);
        Assert.InRange(html.IndexOf("<section id=\"speed\">", StringComparison.Ordinal), html.IndexOf("<main>", StringComparison.Ordinal), html.IndexOf("<footer>", StringComparison.Ordinal));
        Assert.Contains("Device CPU &lt;test&gt;", html);
        Assert.Contains("<td><b>160.00</b></td><td>20.0%</td>", html);
        Assert.DoesNotContain("id=\"speed\"", ReportWriter.RenderHtml(outcome.Metrics));
    }

    // metrics.json without what differs between two runs of the same evaluation: when it ran and how long it took.
    private static string Comparable(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("created_utc");
        node.Remove("timings_s");
        return node.ToJsonString();
    }
}
