using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Diagnostics;
using Cairn.Evaluation.Reports;

namespace Cairn.Evaluation;

/// <summary>What <see cref="EvaluationPipeline.Run"/> produced: the COCO result, the metrics document, and the report's optional speed section.</summary>
/// <param name="Result">The COCO evaluation (pycocotools' numbers and summary).</param>
/// <param name="Metrics">The content of metrics.json, diagnostics included when computed.</param>
public sealed record EvaluationOutcome(CocoEvalResult Result, EvaluationMetrics Metrics)
{
    /// <summary>The report diagnostics, when computed.</summary>
    public DetectionDiagnostics? Diagnostics => Metrics.Diagnostics;

    /// <summary>The inference-speed section of the report (a benchmark's speed test); null leaves it out.</summary>
    public SpeedReport? Speed { get; init; }

    /// <summary>metrics.json's text, serialised on each call.</summary>
    public string MetricsJson() => Reports.MetricsJson.ToJson(Metrics);

    /// <summary>The self-contained HTML report, rendered on each call.</summary>
    public string ReportHtml() => ReportWriter.RenderHtml(Metrics, Speed);
}
