using System.ComponentModel;
using System.Globalization;
using Cairn.Cli.Native;
using Cairn.Server.Accounts;
using Cairn.Storage;
using Cairn.Storage.Catalog;
using Cairn.Storage.Maintenance;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cairn.Cli.Commands;

/// <summary>`cairn version create|list|show|diff|restore|browse`, `cairn gc` and `cairn fsck`.</summary>
public static class VersionCommands
{
    /// <summary>Registers the version branch and the maintenance commands.</summary>
    public static void Register(IConfigurator c)
    {
        ArgumentNullException.ThrowIfNull(c);
        c.AddBranch("version", v =>
        {
            v.SetDescription("Versions of projects: create, list, show, diff, restore, browse");
            v.AddCommand<Create>("create").WithDescription("Make version N+1 of a project (or say that nothing changed since version N)")
                .WithExample("version", "create", "coco-val", "--title", "relabelled cars");
            v.AddCommand<List>("list").WithDescription("List a project's versions").WithExample("version", "list", "coco-val", "--json");
            v.AddCommand<Show>("show").WithDescription("Show a version's statistics: items, labels per class, size, new bytes")
                .WithExample("version", "show", "coco-val@2");
            v.AddCommand<Diff>("diff").WithDescription("What changed between two versions, or between a version and the working state (project without @N)")
                .WithExample("version", "diff", "coco-val@1", "coco-val@2")
                .WithExample("version", "diff", "coco-val@2", "coco-val", "--json");
            v.AddCommand<Restore>("restore").WithDescription("Restore a version as a new project (no image bytes copied)")
                .WithExample("version", "restore", "coco-val@1", "--name", "coco-val-old");
            v.AddCommand<Browse>("browse").WithDescription("Page through a version's items and labels, read-only")
                .WithExample("version", "browse", "coco-val@1", "--dataset", "train", "--skip", "100", "--take", "20");
        });
        c.AddCommand<Gc>("gc").WithDescription("Remove objects no project, version, file or model references (objects younger than --grace are kept)")
            .WithExample("gc", "--dry-run")
            .WithExample("gc", "--grace", "2h", "--json");
        c.AddCommand<FsckCommand>("fsck").WithDescription("Re-hash every object and check every reference; exit 1 when anything is missing or corrupt")
            .WithExample("fsck", "--json");
    }

    /// <summary>Options naming a version (project@N) or a project.</summary>
    public class SpecSettings : CairnSettings
    {
        /// <summary>project@N.</summary>
        [CommandArgument(0, "<project@N>")]
        [Description("A version: project@N")]
        public string Spec { get; init; } = string.Empty;
    }

    /// <summary>`version create`.</summary>
    public sealed class Create : Command<Create.Settings>
    {
        /// <summary>Options.</summary>
        public sealed class Settings : ProjectArgSettings
        {
            /// <summary>Title.</summary>
            [CommandOption("--title <TEXT>")]
            [Description("Title of the version")]
            public string? Title { get; init; }

            /// <summary>Description.</summary>
            [CommandOption("--description <TEXT>")]
            [Description("Description of the version")]
            public string? Description { get; init; }

            /// <summary>Author.</summary>
            [CommandOption("--author <NAME>")]
            [Description("Author (default: the current user)")]
            public string? Author { get; init; }
        }

        /// <inheritdoc/>
        public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            // The native front (Cairn.Cli.Native) runs this same body for most command lines.
            using var services = CliContext.Open(settings);
            var store = services.GetRequiredService<CairnStore>();
            return HotCommands.VersionCreate(store, settings.Project, settings.Title, settings.Description, settings.Author, settings.Json, cancellationToken);
        }
    }

    /// <summary>`version list`.</summary>
    public sealed class List : Command<ProjectArgSettings>
    {
        /// <inheritdoc/>
        public override int Execute(CommandContext context, ProjectArgSettings settings, CancellationToken cancellationToken)
        {
            // The native front (Cairn.Cli.Native) runs this same body for most command lines.
            using var services = CliContext.Open(settings);
            var store = services.GetRequiredService<CairnStore>();
            return HotCommands.VersionList(store, settings.Project, settings.Json);
        }
    }

    /// <summary>`version show`.</summary>
    public sealed class Show : Command<SpecSettings>
    {
        /// <inheritdoc/>
        public override int Execute(CommandContext context, SpecSettings settings, CancellationToken cancellationToken)
        {
            using var services = CliContext.Open(settings);
            var store = services.GetRequiredService<CairnStore>();
            if (Resolve(store, settings, settings.Spec, requireVersion: true) is not (var project, { } v))
            {
                return 1;
            }

            if (settings.Json)
            {
                CliContext.PrintJson(new { project = project.Name, version = Dto(v), stats = v.Stats });
                return 0;
            }

            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(project.Name)}@{v.Number}[/] {Markup.Escape(v.Title ?? "")}");
            if (!string.IsNullOrEmpty(v.Description))
            {
                AnsiConsole.MarkupLine(Markup.Escape(v.Description));
            }

            AnsiConsole.MarkupLine($"by {Markup.Escape(v.Author ?? "-")} at {v.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC; {v.Items} items, {v.Labels} labels, {Bytes(v.TotalBytes)} of images, {Bytes(v.NewBytes)} newly stored by this version (its snapshot; images are stored by imports and edits); root {v.RootId}");
            var classes = new Table().AddColumns("class", "labels", "images");
            foreach (var (name, s) in v.Stats.Classes)
            {
                classes.AddRow(Markup.Escape(name), s.Labels.ToString(CultureInfo.InvariantCulture), s.Images.ToString(CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(classes);
            var datasets = new Table().AddColumns("dataset", "items", "labels", "bytes");
            foreach (var d in v.Stats.Datasets)
            {
                datasets.AddRow(Markup.Escape(d.Path), d.Items.ToString(CultureInfo.InvariantCulture), d.Labels.ToString(CultureInfo.InvariantCulture), Bytes(d.Bytes));
            }

            AnsiConsole.Write(datasets);
            return 0;
        }
    }

    /// <summary>`version diff`.</summary>
    public sealed class Diff : Command<Diff.Settings>
    {
        /// <summary>Options.</summary>
        public sealed class Settings : CairnSettings
        {
            /// <summary>From.</summary>
            [CommandArgument(0, "<from>")]
            [Description("project@A")]
            public string From { get; init; } = string.Empty;

            /// <summary>To.</summary>
            [CommandArgument(1, "<to>")]
            [Description("project@B, or a project name for its working state")]
            public string To { get; init; } = string.Empty;

            /// <summary>How many items of each kind the text output lists.</summary>
            [CommandOption("--limit <N>")]
            [Description("Items listed per kind in text output (default 20; --json lists all)")]
            [DefaultValue(20)]
            public int Limit { get; init; } = 20;
        }

        /// <inheritdoc/>
        public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            // The native front (Cairn.Cli.Native) runs this same body for most command lines.
            using var services = CliContext.Open(settings);
            var store = services.GetRequiredService<CairnStore>();
            return HotCommands.VersionDiff(store, settings.From, settings.To, settings.Limit, settings.Json, cancellationToken);
        }
    }

    /// <summary>`version restore`.</summary>
    public sealed class Restore : Command<Restore.Settings>
    {
        /// <summary>Options.</summary>
        public sealed class Settings : SpecSettings
        {
            /// <summary>Name of the new project.</summary>
            [CommandOption("--name <NAME>")]
            [Description("Name of the new project (default: \"<project> v<N>\")")]
            public string? Name { get; init; }
        }

        /// <inheritdoc/>
        public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            using var services = CliAudit.Open(settings);
            var store = services.GetRequiredService<CairnStore>();
            if (Resolve(store, settings, settings.Spec, requireVersion: true) is not (var project, { } v))
            {
                return 1;
            }

            var r = services.GetRequiredService<VersionService>().Restore(v, settings.Name, ct: cancellationToken, restoredBy: Environment.UserName);
            if (r is null)
            {
                return CliContext.Fail(settings, $"a project named '{settings.Name ?? $"{project.Name} v{v.Number}"}' exists. Choose another with --name.");
            }

            CliAudit.Record(services, AuditActions.Restore, $"project {project.Id} v{v.Number}", $"as project {r.ProjectId}");

            if (settings.Json)
            {
                CliContext.PrintJson(new { project = r.ProjectName, projectId = r.ProjectId, from = $"{project.Name}@{v.Number}", items = r.Items, version = Dto(r.FirstVersion), elapsedMs = r.ElapsedMs });
                return 0;
            }

            AnsiConsole.MarkupLine($"Restored [bold]{Markup.Escape(project.Name)}@{v.Number}[/] as project [bold]{Markup.Escape(r.ProjectName)}[/]: {r.Items} items, no image bytes copied ({r.ElapsedMs} ms).");
            return 0;
        }
    }

    /// <summary>`version browse`.</summary>
    public sealed class Browse : Command<Browse.Settings>
    {
        /// <summary>Options.</summary>
        public sealed class Settings : SpecSettings
        {
            /// <summary>Dataset.</summary>
            [CommandOption("--dataset <PATH>")]
            [Description("Only this dataset")]
            public string? Dataset { get; init; }

            /// <summary>Skip.</summary>
            [CommandOption("--skip <N>")]
            [Description("Items to skip (default 0)")]
            [DefaultValue(0L)]
            public long Skip { get; init; }

            /// <summary>Take.</summary>
            [CommandOption("--take <N>")]
            [Description("Items to list (default 20)")]
            [DefaultValue(20)]
            public int Take { get; init; } = 20;
        }

        /// <inheritdoc/>
        public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            using var services = CliContext.Open(settings);
            var store = services.GetRequiredService<CairnStore>();
            if (Resolve(store, settings, settings.Spec, requireVersion: true) is not (_, { } v))
            {
                return 1;
            }

            var page = services.GetRequiredService<VersionService>().Browse(v, settings.Dataset, settings.Skip, Math.Clamp(settings.Take, 1, 10_000));
            if (settings.Json)
            {
                CliContext.PrintJson(new
                {
                    total = page.Total,
                    skip = page.Skip,
                    items = page.Items.Select(i => new { dataset = i.Dataset, name = i.Name, imageId = i.ImageId.ToString(), width = i.Width, height = i.Height, labels = i.LabelCount, annotation = System.Text.Json.JsonDocument.Parse(i.AnnotationText).RootElement }),
                });
                return 0;
            }

            var table = new Table().AddColumns("dataset", "name", "size", "labels", "image");
            foreach (var i in page.Items)
            {
                table.AddRow(Markup.Escape(i.Dataset), Markup.Escape(i.Name), $"{i.Width}×{i.Height}", N(i.LabelCount), i.ImageId.ToString()[..12]);
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"items {page.Skip + 1}–{page.Skip + page.Items.Count} of {page.Total}");
            return 0;
        }
    }

    /// <summary>`gc`.</summary>
    public sealed class Gc : Command<Gc.Settings>
    {
        /// <summary>Options.</summary>
        public sealed class Settings : CairnSettings
        {
            /// <summary>Grace period.</summary>
            [CommandOption("--grace <TIME>")]
            [Description("Keep objects younger than this: 90s, 30m, 1h, 2d (default 1h), so writes in flight are safe")]
            [DefaultValue("1h")]
            public string Grace { get; init; } = "1h";

            /// <summary>Dry run.</summary>
            [CommandOption("--dry-run")]
            [Description("Report what would be removed; remove nothing")]
            public bool DryRun { get; init; }
        }

        /// <inheritdoc/>
        public override ValidationResult Validate(CommandContext context, Settings settings) =>
            ParseDuration(settings.Grace) is null ? ValidationResult.Error($"--grace '{settings.Grace}': expected a number with s, m, h or d, like 30m") : ValidationResult.Success();

        /// <inheritdoc/>
        public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            using var services = CliAudit.Open(settings);
            var store = services.GetRequiredService<CairnStore>();
            GcReport r;
            try
            {
                r = new GarbageCollector(store).Run(new GcOptions { Grace = ParseDuration(settings.Grace)!.Value, DryRun = settings.DryRun }, null, cancellationToken);
            }
            catch (UnreadableTreeException e)
            {
                return CliContext.Fail(settings, Native.CliErrors.Text(e), 3);
            }

            if (!r.DryRun)
            {
                CliAudit.Record(services, AuditActions.Gc, "object store", $"{r.ObjectsRemoved} objects, {r.BytesRemoved} bytes removed; {r.PacksMerged} packs merged");
            }

            if (settings.Json)
            {
                CliContext.PrintJson(r);
                return 0;
            }

            AnsiConsole.MarkupLine($"{(r.DryRun ? "Would remove" : "Removed")} {r.ObjectsRemoved} of {r.ObjectsScanned} objects ({Bytes(r.BytesRemoved)}); kept {r.ObjectsReferenced} referenced and {r.KeptYoung} younger than {Markup.Escape(settings.Grace)}; {r.TemporaryFilesRemoved} stale temporary files; {(r.DryRun ? "would merge" : "merged")} {r.PacksMerged} packs ({r.ElapsedMs} ms).");
            return 0;
        }

        private static TimeSpan? ParseDuration(string text)
        {
            if (text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0)
            {
                return null;
            }

            return text[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            };
        }
    }

    /// <summary>`fsck`.</summary>
    public sealed class FsckCommand : Command<CairnSettings>
    {
        /// <inheritdoc/>
        public override int Execute(CommandContext context, CairnSettings settings, CancellationToken cancellationToken)
        {
            using var services = CliContext.Open(settings);
            var store = services.GetRequiredService<CairnStore>();
            var r = new Fsck(store).Run(null, cancellationToken);
            if (settings.Json)
            {
                CliContext.PrintJson(new { ok = r.Ok, r.ObjectsChecked, r.BytesChecked, r.ItemsChecked, r.VersionsChecked, r.NodesChecked, r.Problems, r.Warnings, r.ElapsedMs });
                return r.Ok ? 0 : 1;
            }

            foreach (var p in r.Problems)
            {
                AnsiConsole.MarkupLine($"[red]{p.Kind}[/] {p.ObjectId}{(p.ReferencedBy is null ? "" : $" (referenced by {Markup.Escape(p.ReferencedBy)})")}: {Markup.Escape(p.Detail)}");
            }

            foreach (var w in r.Warnings)
            {
                AnsiConsole.MarkupLine($"[yellow]{w.Kind}[/] {w.ObjectId}: {Markup.Escape(w.Detail)}");
            }

            AnsiConsole.MarkupLine($"{(r.Ok ? "[green]ok[/]" : $"[red]{r.Problems.Count} problem(s)[/]")}: {r.ObjectsChecked} objects ({Bytes(r.BytesChecked)}) re-hashed, {r.ItemsChecked} items, {r.VersionsChecked} versions, {r.NodesChecked} snapshot nodes checked ({r.ElapsedMs} ms).");
            return r.Ok ? 0 : 1;
        }
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Bytes(long n) => CliOutput.Bytes(n);

    private static VersionJson Dto(VersionSummary v) => VersionJson.From(v);

    /// <summary>Finds the project (and version, when the text names one); prints the error and returns null when not found.</summary>
    private static (ProjectRow Project, VersionSummary? Version)? Resolve(CairnStore store, CairnSettings settings, string text, bool requireVersion) =>
        HotCommands.Resolve(store, settings.Json, text, requireVersion);
}
