using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Cairn.Core.Formats;
using Cairn.Evaluation;
using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Comparison;
using Cairn.Evaluation.Diagnostics;
using Cairn.Evaluation.Reports;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cairn.Cli.Commands;

/// <summary>`cairn eval --gt GT.json --dt DT.json`: COCO evaluation (pycocotools-exact), optional report; `cairn eval compare`.</summary>
public sealed class EvalCommand : Command<EvalCommand.Settings>
{
    /// <summary>Registers `eval` (with its `compare` form).</summary>
    public static void Register(IConfigurator c)
    {
        ArgumentNullException.ThrowIfNull(c);
        c.AddCommand<EvalCommand>("eval")
            .WithDescription("Evaluate detections against COCO ground truth (numbers equal pycocotools'), write a report; or `eval compare` evaluations of the same ground truth")
            .WithExample("eval", "--gt", "instances_val.json", "--dt", "detections.json")
            .WithExample("eval", "--gt", "gt.json", "--dt", "segm.json", "--iou-type", "segm", "--report", "out/report.html")
            .WithExample("eval", "compare", "runs/a/metrics.json", "runs/b/metrics.json", "--report", "runs/compare.html");
    }

    /// <summary>Options of eval.</summary>
    public sealed class Settings : CairnSettings
    {
        /// <summary>"compare" to compare evaluations; absent to evaluate.</summary>
        [CommandArgument(0, "[compare]")]
        [Description("compare: compare two or more metrics.json files instead of evaluating")]
        public string? Action { get; init; }

        /// <summary>metrics.json files for compare.</summary>
        [CommandArgument(1, "[metrics]")]
        [Description("compare: metrics.json files written by `cairn eval --report/--metrics`; the first is the baseline")]
        public string[] MetricsFiles { get; init; } = [];

        /// <summary>Ground truth.</summary>
        [CommandOption("--gt <FILE>")]
        [Description("COCO ground-truth JSON (images, annotations, categories)")]
        public string? Gt { get; init; }

        /// <summary>Detections.</summary>
        [CommandOption("--dt <FILE>")]
        [Description("COCO results JSON: a list of {image_id, category_id, score, bbox | segmentation}")]
        public string? Dt { get; init; }

        /// <summary>Box or mask IoU.</summary>
        [CommandOption("--iou-type <TYPE>")]
        [Description("bbox (default), segm, or boundary (Boundary IoU: the smaller of mask IoU and boundary-region IoU)")]
        [DefaultValue("bbox")]
        public string IouType { get; init; } = "bbox";

        /// <summary>HTML report path.</summary>
        [CommandOption("--report <HTML>")]
        [Description("Write a self-contained HTML report here (and, when evaluating, metrics.json beside it)")]
        public string? Report { get; init; }

        /// <summary>metrics.json path.</summary>
        [CommandOption("--metrics <JSON>")]
        [Description("Write metrics.json here (default with --report: metrics.json next to the report)")]
        public string? Metrics { get; init; }

        /// <summary>IoU of a hit for the diagnostics.</summary>
        [CommandOption("--iou <THRESHOLD>")]
        [Description("IoU at which a detection counts as a hit in the report's diagnostics (default 0.5)")]
        [DefaultValue(0.5)]
        public double Iou { get; init; } = 0.5;

        /// <summary>Confidence threshold for the diagnostics.</summary>
        [CommandOption("--confidence <THRESHOLD>")]
        [Description("Confidence threshold for the report's counts (default: the one that maximises F1)")]
        public double? Confidence { get; init; }

        /// <summary>Run name.</summary>
        [CommandOption("--name <NAME>")]
        [Description("Name of the model or run in reports (default: the detections file name)")]
        public string? Name { get; init; }
    }

    /// <inheritdoc/>
    public override ValidationResult Validate(CommandContext context, Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Action is not null)
        {
            if (settings.Action != "compare")
            {
                return ValidationResult.Error($"unknown action '{settings.Action}': use `cairn eval --gt GT --dt DT` or `cairn eval compare A/metrics.json B/metrics.json`");
            }

            return settings.MetricsFiles.Length >= 2 ? ValidationResult.Success() : ValidationResult.Error("eval compare needs at least two metrics.json files");
        }

        if (string.IsNullOrEmpty(settings.Gt) || string.IsNullOrEmpty(settings.Dt))
        {
            return ValidationResult.Error("--gt and --dt are required: cairn eval --gt GT.json --dt DT.json");
        }

        if (settings.IouType is not ("bbox" or "segm" or "boundary"))
        {
            return ValidationResult.Error($"--iou-type must be bbox, segm or boundary, not '{settings.IouType}'");
        }

        if (settings.Iou is <= 0 or > 1 || settings.Confidence is < 0 or > 1)
        {
            return ValidationResult.Error("--iou must be in (0, 1] and --confidence in [0, 1]");
        }

        return ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Action == "compare")
        {
            return Compare(settings);
        }

        var iouType = settings.IouType switch
        {
            "segm" => Evaluation.Coco.IouType.Segm,
            "boundary" => Evaluation.Coco.IouType.Boundary,
            _ => Evaluation.Coco.IouType.Bbox,
        };
        foreach (var f in new[] { settings.Gt!, settings.Dt! })
        {
            if (!File.Exists(f))
            {
                return CliContext.Fail(settings, $"file not found: {f}");
            }
        }

        var total = Stopwatch.StartNew();
        CocoResults results;
        try
        {
            results = CocoResults.LoadPair(settings.Gt!, settings.Dt!);
        }
        catch (DatasetFormatException e)
        {
            return CliContext.Fail(settings, e.Message);
        }

        var loadS = total.Elapsed.TotalSeconds;
        var metricsPath = settings.Metrics ?? (settings.Report is null ? null : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(settings.Report)) ?? ".", "metrics.json"));
        EvaluationOutcome outcome;
        try
        {
            outcome = EvaluationPipeline.Run(results, new EvaluationOptions
            {
                IouType = iouType,
                Name = settings.Name,
                Diagnostics = metricsPath is null && settings.Report is null ? null : new DiagnosticsOptions { IouThreshold = settings.Iou, ConfidenceThreshold = settings.Confidence },
                Timings = new Dictionary<string, double> { ["load"] = loadS },
            }, cancellationToken);
        }
        catch (DatasetFormatException e)
        {
            return CliContext.Fail(settings, e.Message);
        }

        var evalS = outcome.Metrics.TimingsS!["evaluate"];
        if (metricsPath is not null)
        {
            MetricsJson.Write(outcome.Metrics, metricsPath);
        }

        if (settings.Report is not null)
        {
            ReportWriter.WriteHtml(outcome.Metrics, settings.Report);
        }

        if (Environment.GetEnvironmentVariable("CAIRN_EVAL_PROFILE") == "1")
        {
            // Where a cold process spends what is not loading or evaluating (docs/benchmarks.md, issue 17).
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile: load {loadS:0.000} s, evaluate {evalS:0.000} s, process {(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds:0.000} s; JIT {System.Runtime.JitInfo.GetCompiledMethodCount()} methods, {System.Runtime.JitInfo.GetCompilationTime().TotalSeconds:0.000} s; GC {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalSeconds:0.000} s, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB"));
        }

        if (settings.Json)
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

        CliContext.Err.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[grey]{results.Detections.Count:N0} detections on {results.GroundTruth.Images.Count:N0} images: loaded in {loadS:0.00} s, evaluated in {evalS:0.00} s, {total.Elapsed.TotalSeconds:0.00} s in all[/]"));
        if (metricsPath is not null)
        {
            CliContext.Err.MarkupLine($"metrics: {Markup.Escape(Path.GetFullPath(metricsPath))}");
        }

        if (settings.Report is not null)
        {
            CliContext.Err.MarkupLine($"report:  {Markup.Escape(Path.GetFullPath(settings.Report))}");
        }

        return 0;
    }

    private static int Compare(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var list = new List<EvaluationMetrics>();
        foreach (var path in settings.MetricsFiles)
        {
            if (!File.Exists(path))
            {
                return CliContext.Fail(settings, $"file not found: {path}");
            }

            try
            {
                list.Add(MetricsJson.Read(path));
            }
            catch (DatasetFormatException e)
            {
                return CliContext.Fail(settings, e.Message);
            }
        }

        var cmp = EvaluationComparison.TryCreate(list, out var problem);
        if (cmp is null)
        {
            return CliContext.Fail(settings, $"cannot compare: {problem}");
        }

        if (settings.Report is not null)
        {
            ComparisonWriter.WriteHtml(cmp, settings.Report);
        }

        if (settings.Json)
        {
            CliContext.PrintJson(new
            {
                evaluations = list.Select((m, i) => new { name = m.Name, path = settings.MetricsFiles[i] }),
                groundTruthFingerprint = list[0].Dataset.GroundTruthFingerprint,
                keyMetrics = cmp.KeyMetrics.Select(r => new { r.Name, r.Values, r.HigherIsBetter, best = r.BestIndex, deltas = r.Values.Select((_, i) => r.DeltaFromFirst(i)) }),
                apPerClass = cmp.ApPerClass.Select(r => new { @class = r.Name, r.Values, best = r.BestIndex }),
                report = settings.Report is null ? null : Path.GetFullPath(settings.Report),
            });
            return 0;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumn("metric");
        for (var i = 0; i < list.Count; i++)
        {
            table.AddColumn(new TableColumn(Markup.Escape(list[i].Name)).RightAligned());
            if (i > 0)
            {
                table.AddColumn(new TableColumn("Δ").RightAligned());
            }
        }

        foreach (var r in cmp.KeyMetrics)
        {
            var cells = new List<string> { Markup.Escape(r.Name) };
            for (var i = 0; i < r.Values.Count; i++)
            {
                var v = r.Values[i] < 0 ? "-" : r.Values[i].ToString(r.Values[i] > 1 ? "N0" : "0.000", CultureInfo.InvariantCulture);
                cells.Add(i == r.BestIndex ? $"[green bold]{v}[/]" : v);
                if (i > 0)
                {
                    cells.Add(r.DeltaFromFirst(i).ToString(r.Values[i] > 1 ? "+#,0;-#,0;0" : "+0.000;-0.000;0.000", CultureInfo.InvariantCulture));
                }
            }

            table.AddRow(cells.ToArray());
        }

        AnsiConsole.Write(table);
        if (settings.Report is not null)
        {
            CliContext.Err.MarkupLine($"report: {Markup.Escape(Path.GetFullPath(settings.Report))}");
        }

        return 0;
    }
}
