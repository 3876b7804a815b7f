using System.Diagnostics;
using System.Globalization;
using Cairn.Core.Formats;
using Cairn.Core.Memory;
using Cairn.Evaluation;
using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Diagnostics;
using Cairn.Evaluation.Reports;
using Spectre.Console;

namespace Cairn.Cli.Native;

/// <summary>What `cairn eval --gt GT --dt DT` was asked for.</summary>
/// <param name="Diagnostics">Report diagnostics' thresholds; used when a metrics file or a report is written.</param>
public sealed record EvalRequest(string Gt, string Dt, IouType IouType, string? Name, string? Metrics, string? Report, DiagnosticsOptions? Diagnostics, bool Json);

/// <summary>
/// The body of `cairn eval --gt GT --dt DT`, run by both CLIs: the native front runs the plain form (no report, no
/// metrics file) without .NET's start-up and JIT, the full CLI every form.
/// </summary>
public static class EvalRun
{
    /// <summary>Evaluates, prints the summary (or, with --json, the metrics document) and returns the exit code.</summary>
    public static int Evaluate(EvalRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var f in new[] { request.Gt, request.Dt })
        {
            if (!File.Exists(f))
            {
                return CliOutput.Fail(request.Json, $"file not found: {f}");
            }
        }

        var total = Stopwatch.StartNew();

        // The load and the evaluation touch a few hundred MB of fresh memory: 2 MiB pages fault ~50x less often.
        TransparentHugePages.AdviseGcHeap();
        CocoResults results;
        try
        {
            results = CocoResults.LoadPair(request.Gt, request.Dt, request.IouType);
        }
        catch (DatasetFormatException e)
        {
            return CliOutput.Fail(request.Json, e.Message);
        }

        var loadS = total.Elapsed.TotalSeconds;
        var metricsPath = request.Metrics ?? (request.Report is null ? null : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(request.Report)) ?? ".", "metrics.json"));
        EvaluationOutcome outcome;
        try
        {
            outcome = EvaluationPipeline.Run(results, new EvaluationOptions
            {
                IouType = request.IouType,
                Name = request.Name,
                Diagnostics = metricsPath is null ? null : request.Diagnostics ?? new DiagnosticsOptions(),
                Timings = new Dictionary<string, double> { ["load"] = loadS },
            }, ct);
        }
        catch (DatasetFormatException e)
        {
            return CliOutput.Fail(request.Json, e.Message);
        }

        var evalS = outcome.Metrics.TimingsS!["evaluate"];
        if (metricsPath is not null)
        {
            MetricsJson.Write(outcome.Metrics, metricsPath);
        }

        if (request.Report is not null)
        {
            ReportWriter.WriteHtml(outcome.Metrics, request.Report);
        }

        if (Environment.GetEnvironmentVariable("CAIRN_EVAL_PROFILE") == "1")
        {
            // Where a cold process spends what is not loading or evaluating (docs/benchmarks.md, issue 17).
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile: load {loadS:0.000} s, evaluate {evalS:0.000} s, process {(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds:0.000} s; JIT {System.Runtime.JitInfo.GetCompiledMethodCount()} methods, {System.Runtime.JitInfo.GetCompilationTime().TotalSeconds:0.000} s; GC {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalSeconds:0.000} s, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB"));
        }

        if (request.Json)
        {
            Console.Out.WriteLine(outcome.MetricsJson());
            return 0;
        }

        Console.Out.Write(outcome.Result.Summary());
        if (outcome.Metrics.Frequency is { } groups)
        {
            static string Ap(double v) => v < 0 ? "-1.000" : v.ToString("0.000", CultureInfo.InvariantCulture);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $" APr {Ap(groups.Rare.Ap)} | APc {Ap(groups.Common.Ap)} | APf {Ap(groups.Frequent.Ap)}  (classes {groups.Rare.Classes}/{groups.Common.Classes}/{groups.Frequent.Classes}; groups from the {groups.Source})"));
        }

        if (outcome.Diagnostics is { } diagnostics)
        {
            var o = diagnostics.Overall;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"At IoU {diagnostics.IouThreshold:0.00}, confidence {diagnostics.ConfidenceThreshold:0.000}{(diagnostics.ConfidenceIsF1Optimal ? " (best F1)" : string.Empty)}: precision {o.Precision:0.000}, recall {o.Recall:0.000}, F1 {o.F1:0.000} (TP {o.Tp}, FP {o.Fp}, FN {o.Fn})"));
        }

        CliOutput.Err.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[grey]{results.Detections.Count:N0} detections on {results.GroundTruth.Images.Count:N0} images: loaded in {loadS:0.00} s, evaluated in {evalS:0.00} s, {total.Elapsed.TotalSeconds:0.00} s in all[/]"));
        if (metricsPath is not null)
        {
            CliOutput.Err.MarkupLine($"metrics: {Markup.Escape(Path.GetFullPath(metricsPath))}");
        }

        if (request.Report is not null)
        {
            CliOutput.Err.MarkupLine($"report:  {Markup.Escape(Path.GetFullPath(request.Report))}");
        }

        return 0;
    }
}
