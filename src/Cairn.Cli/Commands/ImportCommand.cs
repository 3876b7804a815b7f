using System.ComponentModel;
using Cairn.Cli.Native;
using Cairn.Core.Formats;
using Cairn.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cairn.Cli.Commands;

/// <summary>`cairn import &lt;format&gt; &lt;path&gt; --project NAME`, or `--into PROJECT[/DATASET]` for an existing project.</summary>
public sealed class ImportCommand : Command<ImportCommand.Settings>
{
    /// <summary>Options of import.</summary>
    public sealed class Settings : CairnSettings
    {
        /// <summary>Dataset format.</summary>
        [CommandArgument(0, "<format>")]
        [Description("coco, yolo, voc, supervisely, or images (a folder of images without annotations)")]
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
        [Description("COCO: the annotation JSON file, anywhere; a relative path is tried under <path>, then here (default: found automatically)")]
        public string? Annotations { get; init; }

        /// <summary>Project description.</summary>
        [CommandOption("--description <TEXT>")]
        [Description("Description of the new project")]
        public string? Description { get; init; }

        /// <summary>An existing project (and dataset) to import into.</summary>
        [CommandOption("--into <PROJECT[/DATASET]>")]
        [Description("Import into this existing project instead of a new one: its classes are merged (new ones reported); with /DATASET every item goes into that dataset (created if missing). An item name taken in its dataset refuses the whole import")]
        public string? Into { get; init; }

        /// <summary>Skip version 1.</summary>
        [CommandOption("--no-version")]
        [Description("Do not take version 1 (the project is still an output of the import task)")]
        public bool NoVersion { get; init; }
    }

    /// <inheritdoc/>
    public override ValidationResult Validate(CommandContext context, Settings settings)
    {
        if (!ImageFolder.ImportNames.Contains(settings.Format))
        {
            return ValidationResult.Error($"unknown format '{settings.Format}': expected one of {string.Join(", ", ImageFolder.ImportNames)}");
        }

        if (settings.Into is { } into)
        {
            if (settings.Project is not null)
            {
                return ValidationResult.Error("--into and --project: give one (--into names an existing project, --project a new one)");
            }

            var (project, dataset) = SplitInto(into);
            if (project.Length == 0 || (dataset is not null && !Storage.Projects.DatasetPaths.IsValid(dataset)))
            {
                return ValidationResult.Error($"--into '{into}': expected PROJECT or PROJECT/DATASET (a dataset path such as train or train/city, no empty, '.' or '..' parts)");
            }
        }

        return ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // The native front (Cairn.Cli.Native) runs this same body for most command lines.
        var home = CairnStore.ResolveHome(settings.Home);
        var (project, dataset) = settings.Into is { } into ? SplitInto(into) : (settings.Project, null);
        return HotCommands.Import(home, () => CairnStore.Open(home, catalog: settings.Catalog, objectStore: settings.Store), settings.Format, settings.Path, project, settings.Annotations, settings.Description, settings.NoVersion, settings.Json, cancellationToken, existing: settings.Into is not null, dataset: dataset);
    }

    /// <summary>"proj/train/city" → ("proj", "train/city"): the project is up to the first '/'.</summary>
    public static (string Project, string? Dataset) SplitInto(string into)
    {
        var slash = into.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (into, null) : (into[..slash], into[(slash + 1)..]);
    }
}
