using System.ComponentModel;
using Cairn.Cli.Native;
using Cairn.Core.Formats;
using Cairn.Storage;
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
        [Description("COCO: the annotation JSON file, anywhere; a relative path is tried under <path>, then here (default: found automatically)")]
        public string? Annotations { get; init; }

        /// <summary>Project description.</summary>
        [CommandOption("--description <TEXT>")]
        [Description("Description of the new project")]
        public string? Description { get; init; }

        /// <summary>Skip version 1.</summary>
        [CommandOption("--no-version")]
        [Description("Do not take version 1 (the project is still an output of the import task)")]
        public bool NoVersion { get; init; }
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
        // The native front (Cairn.Cli.Native) runs this same body for most command lines.
        var home = CairnStore.ResolveHome(settings.Home);
        return HotCommands.Import(home, () => CairnStore.Open(home, catalog: settings.Catalog, objectStore: settings.Store), settings.Format, settings.Path, settings.Project, settings.Annotations, settings.Description, settings.NoVersion, settings.Json, cancellationToken);
    }
}
