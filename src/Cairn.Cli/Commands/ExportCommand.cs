using System.ComponentModel;
using Cairn.Core.Formats;
using Cairn.Core.Ids;
using Cairn.Core.Serialization;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cairn.Cli.Commands;

/// <summary>`cairn export &lt;format&gt; &lt;project&gt;[@N] &lt;out-dir&gt;`.</summary>
public sealed class ExportCommand : Command<ExportCommand.Settings>
{
    /// <summary>Options of export.</summary>
    public sealed class Settings : CairnSettings
    {
        /// <summary>Dataset format.</summary>
        [CommandArgument(0, "<format>")]
        [Description("coco, yolo, voc or supervisely")]
        public string Format { get; init; } = string.Empty;

        /// <summary>Project or version.</summary>
        [CommandArgument(1, "<project>")]
        [Description("Project name (working state) or project@N (version N)")]
        public string Project { get; init; } = string.Empty;

        /// <summary>Output folder.</summary>
        [CommandArgument(2, "<out-dir>")]
        [Description("Folder to write (created; must be empty if it exists)")]
        public string OutDir { get; init; } = string.Empty;

        /// <summary>Convert shapes to boxes where the format would drop them or write them as shapes.</summary>
        [CommandOption("--shapes-as-boxes")]
        [Description("Write polygons and masks as their bounding boxes (yolo: a detection dataset; voc does this always)")]
        public bool ShapesAsBoxes { get; init; }

        /// <summary>Share of the training images a YOLO export holds out as val when the project has no val dataset.</summary>
        [CommandOption("--val-fraction <FRACTION>")]
        [Description("yolo, with no dataset named val*: the share of training images held out as val (default 0.1; each image in one list only)")]
        [DefaultValue(0.1)]
        public double ValFraction { get; init; } = 0.1;

        /// <summary>Skip images.</summary>
        [CommandOption("--no-images")]
        [Description("Write annotations only")]
        public bool NoImages { get; init; }
    }

    /// <inheritdoc/>
    public override ValidationResult Validate(CommandContext context, Settings settings) =>
        !DatasetFormats.Names.Contains(settings.Format) ? ValidationResult.Error($"unknown format '{settings.Format}': expected one of {string.Join(", ", DatasetFormats.Names)}")
        : settings.ValFraction is > 0 and < 1 ? ValidationResult.Success()
        : ValidationResult.Error($"--val-fraction {settings.ValFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}: expected a share between 0 and 1 (exclusive), such as 0.1");

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!VersionSpec.TryParse(settings.Project, out var spec, out var error))
        {
            return CliContext.Fail(settings, error);
        }

        if (Directory.Exists(settings.OutDir) && Directory.EnumerateFileSystemEntries(settings.OutDir).Any())
        {
            return CliContext.Fail(settings, $"output folder {settings.OutDir} is not empty. Name a new or empty folder.");
        }

        using var services = CliContext.Open(settings);
        var store = services.GetRequiredService<CairnStore>();
        var projects = services.GetRequiredService<ProjectService>();
        var project = projects.Find(spec.Project);
        if (project is null)
        {
            return CliContext.Fail(settings, Native.CliOutput.NoProject(spec.Project));
        }

        Core.Model.ProjectMeta meta;
        IEnumerable<ExportItem> items;
        if (spec.Number is { } n)
        {
            var versions = services.GetRequiredService<VersionService>();
            var version = versions.Get(project.Id, n);
            if (version is null)
            {
                return CliContext.Fail(settings, $"project '{project.Name}' has no version {n}. Run `cairn version list {project.Name}`.");
            }

            meta = ProjectMetaJson.Parse(versions.MetaJson(version));
            items = versions.ReadAll(version).Select(i => new ExportItem(i.Dataset, i.Name, () => store.Objects.OpenReadAsync(i.ImageId).GetAwaiter().GetResult(), i.ParseAnnotation()));
        }
        else
        {
            meta = ProjectMetaJson.Parse(project.MetaJson);
            items = projects.StreamItems(project.Id).Select(x => new ExportItem(
                x.Dataset,
                x.Item.Name,
                () => store.Objects.OpenReadAsync(ContentId.FromBytes(x.Item.ImageId)).GetAwaiter().GetResult(),
                AnnotationJson.Parse(x.Item.AnnotationJson)));
        }

        var format = DatasetFormats.Get(settings.Format);
        var report = format.Write(meta, items, settings.OutDir, new ExportOptions(!settings.NoImages, settings.ShapesAsBoxes, settings.ValFraction), cancellationToken);
        if (settings.Json)
        {
            CliContext.PrintJson(new { format = format.Name, source = spec.ToString(), outDir = Path.GetFullPath(settings.OutDir), items = report.Items, labels = report.Labels, unsupportedLabelKinds = report.UnsupportedLabelKinds, warnings = report.Warnings });
            return 0;
        }

        AnsiConsole.MarkupLine($"Exported {report.Items} images and {report.Labels} labels of [bold]{Markup.Escape(spec.ToString())}[/] as {format.Name} to {Markup.Escape(Path.GetFullPath(settings.OutDir))}.");
        foreach (var (kind, count) in report.UnsupportedLabelKinds)
        {
            CliContext.Err.MarkupLine($"[yellow]not written:[/] {count} {Markup.Escape(kind)} label(s): {format.Name} cannot hold them (try --shapes-as-boxes, or another format).");
        }

        foreach (var w in report.Warnings)
        {
            CliContext.Err.MarkupLine($"[yellow]warning:[/] {Markup.Escape(w)}");
        }

        return 0;
    }
}
