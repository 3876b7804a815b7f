using System.Diagnostics;
using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Diagnostics;
using Cairn.Evaluation.Reports;

namespace Cairn.Evaluation;

/// <summary>
/// The one way an evaluation is made, for `cairn eval` and the benchmark task alike: COCO evaluation, report
/// diagnostics, then the metrics document that metrics.json and the report are written from.
/// </summary>
public static class EvaluationPipeline
{
    /// <summary>Evaluates <paramref name="results"/>; the times of evaluation and diagnostics join <see cref="EvaluationOptions.Timings"/>.</summary>
    public static EvaluationOutcome Run(CocoResults results, EvaluationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(options);
        var timings = options.Timings?.ToDictionary() ?? [];
        var clock = Stopwatch.StartNew();
        var coco = CocoEvaluator.Evaluate(results, options.IouType, cancellationToken: cancellationToken);
        timings["evaluate"] = clock.Elapsed.TotalSeconds;
        DetectionDiagnostics? diagnostics = null;
        if (options.Diagnostics is { } d)
        {
            clock.Restart();
            diagnostics = DetectionDiagnostics.Compute(results, d with { IouType = options.IouType }, cancellationToken);
            timings["diagnostics"] = clock.Elapsed.TotalSeconds;
        }

        return new EvaluationOutcome(coco, MetricsJson.Create(results, coco, diagnostics, options.Name, options.Clock, timings));
    }
}
