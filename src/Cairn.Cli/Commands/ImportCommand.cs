using System.ComponentModel;
using Cairn.Core.Formats;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cairn.Cli.Commands;

/// <summary>`cairn import &lt;format&gt; &lt;path&gt; --project NAME`.</summary>
public sealed class ImportCommand : Command<ImportCommand.Settings>
{
    /// <summary>Options of import.</summary>
    public sealed class Settings : CairnSettings
    {
        /// <summary>Dataset format.</summary>
        [CommandArgument(0, "<format>")]
        [Description("coco, yolo, voc or supervisely")]
        public string Format { get; init; } = string.Empty;

        /// <summary>Folder or archive.</summary>
        [CommandArgument(1, "<path>")]
        [Description("Dataset folder, or a .zip / .tar / .tar.gz archive")]
        public string Path { get; init; } = string.Empty;

        /// <summary>New project name.</summary>
        [CommandOption("-p|--project <NAME>")]
        [Description("Name of the new project (default: the folder or archive name)")]
        public string? Project { get; init; }

        /// <summary>COCO annotation file.</summary>
        [CommandOption("--annotations <FILE>")]
        [Description("COCO: the annotation JSON file, relative to <path> (default: found automatically)")]
        public string? Annotations { get; init; }

        /// <summary>Project description.</summary>
        [CommandOption("--description <TEXT>")]
        [Description("Description of the new project")]
        public string? Description { get; init; }
    }

    /// <inheritdoc/>
    public override ValidationResult Validate(CommandContext context, Settings settings)
    {
        if (!DatasetFormats.Names.Contains(settings.Format))
        {
            return ValidationResult.Error($"unknown format '{settings.Format}': expected one of {string.Join(", ", DatasetFormats.Names)}");
        }

        return ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var name = settings.Project ?? System.IO.Path.GetFileNameWithoutExtension(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(settings.Path)));
        var options = new ImportOptions(ImportLimits.Default, settings.Annotations);
        var home = CairnStore.ResolveHome(settings.Home);

        // The annotations are read on another core while the store opens (on a new home, creating the catalog).
        var reading = Task.Run(() => ProjectImporter.Read(settings.Format, settings.Path, options, System.IO.Path.Combine(home, "tmp"), cancellationToken), cancellationToken);
        ImportResult result;
        ReadDataset? read = null;
        try
        {
            using var store = CairnStore.Open(home, catalog: settings.Catalog);
            read = reading.GetAwaiter().GetResult();
            var importer = new ProjectImporter(store);
            result = CliProgress.Run("Importing", p => importer.Import(read, name, settings.Description, progress: p, ct: cancellationToken));
        }
        catch (DatasetFormatException e)
        {
            return CliContext.Fail(settings, $"import failed, nothing was imported: {e.Message}");
        }
        catch (ProjectExistsException e)
        {
            return CliContext.Fail(settings, e.Message);
        }
        finally
        {
            // Removes an extracted archive; when opening the store failed first, once the read has finished (its own
            // failure, if any, is not this error's cause).
            if (read is null)
            {
                ((IAsyncResult)reading).AsyncWaitHandle.WaitOne();
                read = reading.IsCompletedSuccessfully ? reading.Result : null;
            }

            read?.Dispose();
        }

        if (settings.Json)
        {
            CliContext.PrintJson(new
            {
                project = new { id = result.Project.Id, name = result.Project.Name },
                items = result.Items,
                labels = result.Labels,
                classes = result.Classes,
                bytes = result.Bytes,
                newBytes = result.NewBytes,
                seconds = result.Elapsed.TotalSeconds,
                stageSeconds = result.StageSeconds,
                warnings = result.Warnings,
            });
        }
        else
        {
            foreach (var w in result.Warnings)
            {
                CliContext.Err.MarkupLine($"[yellow]warning:[/] {Markup.Escape(w)}");
            }

            AnsiConsole.MarkupLine($"Imported [bold]{Markup.Escape(result.Project.Name)}[/] (id {result.Project.Id}): {result.Items} images, {result.Labels} labels, {result.Classes} classes, {result.Bytes / 1e6:0.0} MB ({result.NewBytes / 1e6:0.0} MB new) in {result.Elapsed.TotalSeconds:0.00} s.");
            AnsiConsole.MarkupLine($"Next: [grey]cairn version create {Markup.Escape(result.Project.Name)}[/] to snapshot it, or open it in [grey]cairn serve[/].");
        }

        return 0;
    }
}
