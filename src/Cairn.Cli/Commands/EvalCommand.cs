using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Cairn.Cli.Native;
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
        var diagnostics = settings.Metrics is null && settings.Report is null ? null : new DiagnosticsOptions { IouThreshold = settings.Iou, ConfidenceThreshold = settings.Confidence };
        return EvalRun.Evaluate(new EvalRequest(settings.Gt!, settings.Dt!, iouType, settings.Name, settings.Metrics, settings.Report, diagnostics, settings.Json), cancellationToken);
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
