using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Evaluation.Comparison;
using Cairn.Evaluation.Reports;
using Cairn.Operations.Benchmarks;
using Cairn.Operations.Models;
using Cairn.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;
using Cairn.Storage.Tasks;

namespace Cairn.Cli.Commands;

/// <summary>`cairn predict &lt;model&gt; &lt;project&gt;[@N] --output NAME`: a tracked task writing a project of predictions.</summary>
public sealed class PredictCommand : AsyncCommand<PredictCommand.Settings>
{
    /// <summary>Options of predict.</summary>
    public sealed class Settings : CairnSettings
    {
        /// <summary>Model.</summary>
        [CommandArgument(0, "<model>")]
        [Description("Registered model name or id")]
        public string Model { get; init; } = string.Empty;

        /// <summary>Input.</summary>
        [CommandArgument(1, "<project>")]
        [Description("project (its working state is versioned first when changed) or project@N")]
        public string Input { get; init; } = string.Empty;

        /// <summary>Output project.</summary>
        [CommandOption("-o|--output <NAME>")]
        [Description("Name of the new project of predictions (default: \"<project> predictions\")")]
        public string? Output { get; init; }

        /// <summary>Confidence threshold.</summary>
        [CommandOption("--conf <P>")]
        [Description("Minimum confidence (default 0.25)")]
        public double? Conf { get; init; }

        /// <summary>NMS IoU.</summary>
        [CommandOption("--iou <P>")]
        [Description("Class-wise NMS IoU threshold (default 0.7)")]
        public double? Iou { get; init; }
    }

    /// <inheritdoc/>
    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var p = new JsonObject
        {
            ["model"] = settings.Model,
            ["input"] = settings.Input,
            ["output"] = settings.Output ?? $"{settings.Input.Split('@')[0]} predictions",
        };
        if (settings.Conf is { } c)
        {
            p["conf"] = c;
        }

        if (settings.Iou is { } i)
        {
            p["iou"] = i;
        }

        return await RunTask(settings, new TaskRequest("predict", p, Author: Environment.UserName), cancellationToken);
    }

    internal static async Task<int> RunTask(CairnSettings settings, TaskRequest request, CancellationToken ct)
    {
        using var services = CliContext.Open(settings);
        var tasks = services.GetRequiredService<TaskService>();
        Storage.Catalog.TaskRow row;
        try
        {
            row = tasks.Create(request);
        }
        catch (TaskValidationException e)
        {
            return CliContext.Fail(settings, e.Message, 2);
        }

        var done = await CliTasks.RunWithProgressAsync(tasks, row, ct);
        return CliTasks.Report(settings, tasks, done);
    }
}

/// <summary>`cairn benchmark &lt;model&gt; &lt;project&gt;@N`: one task of inference, evaluation, speed test and report.</summary>
public sealed class BenchmarkRunCommand : AsyncCommand<BenchmarkRunCommand.Settings>
{
    /// <summary>Options of benchmark.</summary>
    public sealed class Settings : CairnSettings
    {
        /// <summary>Model.</summary>
        [CommandArgument(0, "<model>")]
        [Description("Registered model name or id")]
        public string Model { get; init; } = string.Empty;

        /// <summary>Version.</summary>
        [CommandArgument(1, "<project@N>")]
        [Description("The ground-truth version, project@N (a bare project is versioned first when changed)")]
        public string Input { get; init; } = string.Empty;

        /// <summary>IoU type.</summary>
        [CommandOption("--iou-type <TYPE>")]
        [Description("bbox (default) or segm")]
        public string IouType { get; init; } = "bbox";

        /// <summary>Candidate confidence.</summary>
        [CommandOption("--conf <P>")]
        [Description("Candidate confidence threshold (default 0.001, as Ultralytics' validator)")]
        public double? Conf { get; init; }

        /// <summary>NMS IoU.</summary>
        [CommandOption("--iou <P>")]
        [Description("Class-wise NMS IoU threshold (default 0.7)")]
        public double? Iou { get; init; }

        /// <summary>Batch size.</summary>
        [CommandOption("--batch <N>")]
        [Description("Images per inference batch (default 8)")]
        public int? Batch { get; init; }

        /// <summary>Speed iterations.</summary>
        [CommandOption("--speed-iterations <N>")]
        [Description("Iterations per batch size in the speed test (default 20; 0 skips it)")]
        public int? SpeedIterations { get; init; }

        /// <summary>Title.</summary>
        [CommandOption("--title <TEXT>")]
        [Description("Name of this evaluation")]
        public string? Title { get; init; }

        /// <summary>Class names.</summary>
        [CommandOption("--classes <LIST>")]
        [Description("The dataset class each model class means, comma-separated in output order (default: the model's classes)")]
        public string? Classes { get; init; }

        /// <summary>Class mapping file.</summary>
        [CommandOption("--classes-file <FILE>")]
        [Description("The same from a file: one name per line, or a JSON object of model class index → dataset class")]
        public string? ClassesFile { get; init; }
    }

    /// <inheritdoc/>
    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var p = new JsonObject { ["model"] = settings.Model, ["input"] = settings.Input, ["iouType"] = settings.IouType };
        if (settings.Conf is { } c)
        {
            p["conf"] = c;
        }

        if (settings.Iou is { } i)
        {
            p["iou"] = i;
        }

        if (settings.Batch is { } b)
        {
            p["batch"] = b;
        }

        if (settings.SpeedIterations is { } s)
        {
            p["speedIterations"] = s;
        }

        if (settings.Title is { } t)
        {
            p["title"] = t;
        }

        try
        {
            if (ClassMapping.FromOptions(settings.Classes, settings.ClassesFile) is { } mapping)
            {
                p["classes"] = mapping;
            }
        }
        catch (ModelRegistryException e)
        {
            return Task.FromResult(CliContext.Fail(settings, e.Message, 2));
        }

        return PredictCommand.RunTask(settings, new TaskRequest("benchmark", p, Author: Environment.UserName), cancellationToken);
    }
}

/// <summary>`cairn benchmark list`.</summary>
public sealed class BenchmarkListCommand : Command<CairnSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, CairnSettings settings, CancellationToken cancellationToken)
    {
        using var services = CliContext.Open(settings);
        var rows = services.GetRequiredService<EvaluationService>().List().Select(e => new { e.Id, e.Title, e.IouType, e.MapAll, e.Map50, e.ModelId, e.VersionId, e.CreatedAt }).ToList();
        if (settings.Json)
        {
            CliContext.PrintJson(new { evaluations = rows });
            return 0;
        }

        if (rows.Count == 0)
        {
            AnsiConsole.MarkupLine(Markup.Escape("No evaluations yet. Benchmark a model with `cairn benchmark run MODEL PROJECT@N`."));
            return 0;
        }

        var t = new Table().AddColumns("id", "title", "type", "mAP", "mAP@0.5", "created");
        foreach (var r in rows)
        {
            t.AddRow(r.Id.ToString(), Markup.Escape(r.Title), r.IouType, r.MapAll.ToString("0.0000"), r.Map50.ToString("0.0000"), r.CreatedAt.ToString("yyyy-MM-dd HH:mm"));
        }

        AnsiConsole.Write(t);
        return 0;
    }
}

/// <summary>`cairn benchmark compare &lt;evaluation&gt;...`: side by side, refusing different ground truth.</summary>
public sealed class BenchmarkCompareCommand : Command<BenchmarkCompareCommand.Settings>
{
    /// <summary>Options of compare.</summary>
    public sealed class Settings : CairnSettings
    {
        /// <summary>Evaluation ids.</summary>
        [CommandArgument(0, "<evaluation>")]
        [Description("Two or more evaluation ids (see `cairn benchmark list`)")]
        public long[] Evaluations { get; init; } = [];

        /// <summary>Report path.</summary>
        [CommandOption("--report <FILE>")]
        [Description("Write the comparison as a self-contained HTML report")]
        public string? Report { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Evaluations.Length < 2)
        {
            return CliContext.Fail(settings, "name at least two evaluations to compare (ids from `cairn benchmark list`)", 2);
        }

        using var services = CliContext.Open(settings);
        var evaluations = services.GetRequiredService<EvaluationService>();
        var metrics = new List<EvaluationMetrics>();
        foreach (var id in settings.Evaluations)
        {
            var row = evaluations.Get(id);
            if (row is null)
            {
                return CliContext.Fail(settings, $"no evaluation {id}. Run `cairn benchmark list`.");
            }

            metrics.Add(EvaluationService.Metrics(row));
        }

        var comparison = EvaluationComparison.TryCreate(metrics, out var problem);
        if (comparison is null)
        {
            return CliContext.Fail(settings, $"these evaluations cannot be compared: {problem}");
        }

        if (settings.Report is not null)
        {
            ComparisonWriter.WriteHtml(comparison, settings.Report);
        }

        if (settings.Json)
        {
            CliContext.PrintJson(new
            {
                evaluations = settings.Evaluations,
                keyMetrics = comparison.KeyMetrics.Select(r => new { metric = r.Name, values = r.Values, best = r.BestIndex }),
                apPerClass = comparison.ApPerClass.Select(r => new { @class = r.Name, values = r.Values, best = r.BestIndex }),
                report = settings.Report,
            });
            return 0;
        }

        var t = new Table().AddColumn("metric");
        foreach (var m in metrics)
        {
            t.AddColumn(Markup.Escape(m.Name));
        }

        foreach (var r in comparison.KeyMetrics)
        {
            t.AddRow([Markup.Escape(r.Name), .. r.Values.Select((v, i) => i == r.BestIndex ? $"[bold green]{v:0.0000}[/]" : $"{v:0.0000}")]);
        }

        AnsiConsole.Write(t);
        if (settings.Report is not null)
        {
            AnsiConsole.MarkupLine($"Report: {Markup.Escape(Path.GetFullPath(settings.Report))}");
        }

        return 0;
    }
}

/// <summary>`cairn benchmark show &lt;evaluation&gt;`: one evaluation's model, ground truth, summary and per-class numbers.</summary>
public sealed class BenchmarkShowCommand : Command<BenchmarkShowCommand.Settings>
{
    /// <summary>Options of show.</summary>
    public sealed class Settings : CairnSettings
    {
        /// <summary>Evaluation id.</summary>
        [CommandArgument(0, "<evaluation>")]
        [Description("Evaluation id (see `cairn benchmark list`)")]
        public long Evaluation { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var services = CliContext.Open(settings);
        var evaluations = services.GetRequiredService<EvaluationService>();
        var row = evaluations.Get(settings.Evaluation);
        if (row is null)
        {
            return CliContext.Fail(settings, $"no evaluation {settings.Evaluation}. Run `cairn benchmark list`.");
        }

        var metrics = EvaluationService.Metrics(row);
        var model = row.ModelId is { } m ? services.GetRequiredService<ModelRegistry>().Get(m)?.Name : null;
        var version = evaluations.Version(row)?.ToString();
        if (settings.Json)
        {
            CliContext.PrintJson(new { id = row.Id, title = row.Title, model, version, iouType = row.IouType, map = row.MapAll, map50 = row.Map50, task = row.TaskId, createdAt = row.CreatedAt, metrics });
            return 0;
        }

        AnsiConsole.MarkupLine($"[bold]Evaluation {row.Id}[/] {Markup.Escape(row.Title)}: model {Markup.Escape(model ?? "-")} on {Markup.Escape(version ?? "-")} ({row.IouType}), {row.CreatedAt:yyyy-MM-dd HH:mm}{(row.TaskId is { } t ? $", task {t}" : "")}");
        AnsiConsole.MarkupLine($"mAP {row.MapAll:0.0000}, mAP@0.5 {row.Map50:0.0000}");
        var table = new Table().AddColumns("class", "AP", "AP50", "AP75", "AR100", "ground truths", "detections");
        foreach (var (name, c) in metrics.PerClass)
        {
            table.AddRow(Markup.Escape(name), $"{c.Ap:0.0000}", $"{c.Ap50:0.0000}", $"{c.Ap75:0.0000}", $"{c.Ar100:0.0000}", $"{c.GroundTruths}", $"{c.Detections}");
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
