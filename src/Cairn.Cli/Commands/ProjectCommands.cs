using System.ComponentModel;
using Cairn.Core.Serialization;
using Cairn.Server.Accounts;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cairn.Cli.Commands;

/// <summary>Options naming one project.</summary>
public class ProjectArgSettings : CairnSettings
{
    /// <summary>Project name or id.</summary>
    [CommandArgument(0, "<project>")]
    [Description("Project name or id")]
    public string Project { get; init; } = string.Empty;
}

/// <summary>`cairn project list`.</summary>
public sealed class ProjectListCommand : Command<CairnSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, CairnSettings settings, CancellationToken cancellationToken)
    {
        // The native front (Cairn.Cli.Native) runs this same body for most command lines.
        using var services = CliContext.Open(settings);
        return Native.HotCommands.ProjectList(services.GetRequiredService<CairnStore>(), settings.Json);
    }
}

/// <summary>`cairn project show`.</summary>
public sealed class ProjectShowCommand : Command<ProjectArgSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ProjectArgSettings settings, CancellationToken cancellationToken)
    {
        using var services = CliContext.Open(settings);
        var service = services.GetRequiredService<ProjectService>();
        var p = service.Find(settings.Project);
        if (p is null)
        {
            return CliContext.Fail(settings, Native.CliOutput.NoProject(settings.Project));
        }

        var meta = ProjectMetaJson.Parse(p.MetaJson);
        var counts = service.ClassCounts(p.Id);
        var datasets = service.Datasets(p.Id);
        if (settings.Json)
        {
            CliContext.PrintJson(new
            {
                id = p.Id,
                name = p.Name,
                description = p.Description,
                createdAt = p.CreatedAt,
                items = datasets.Sum(d => d.Items),
                classes = meta.Classes.Select(c => new { name = c.Name, shape = ProjectMetaJson.ShapeName(c.Shape), color = c.Color, labels = counts.GetValueOrDefault(c.Name).Labels, images = counts.GetValueOrDefault(c.Name).Images }),
                tags = meta.Tags.Select(t => new { name = t.Name, type = t.ValueType.ToString() }),
                datasets = datasets.Select(d => new { path = d.Path, items = d.Items }),
            });
            return 0;
        }

        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(p.Name)}[/] (id {p.Id}), {datasets.Sum(d => d.Items)} items");
        var ct = new Table().AddColumns("class", "shape", "colour", "labels", "images");
        foreach (var c in meta.Classes)
        {
            var n = counts.GetValueOrDefault(c.Name);
            ct.AddRow(Markup.Escape(c.Name), ProjectMetaJson.ShapeName(c.Shape), c.Color, n.Labels.ToString(), n.Images.ToString());
        }

        AnsiConsole.Write(ct);
        var dt = new Table().AddColumns("dataset", "items");
        foreach (var d in datasets)
        {
            dt.AddRow(Markup.Escape(d.Path), d.Items.ToString());
        }

        AnsiConsole.Write(dt);
        return 0;
    }
}

/// <summary>`cairn project delete`.</summary>
public sealed class ProjectDeleteCommand : Command<ProjectArgSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ProjectArgSettings settings, CancellationToken cancellationToken)
    {
        using var services = CliAudit.Open(settings);
        var service = services.GetRequiredService<ProjectService>();
        var p = service.Find(settings.Project);
        if (p is null)
        {
            return CliContext.Fail(settings, Native.CliOutput.NoProject(settings.Project));
        }

        service.Delete(p.Id);
        CliAudit.Record(services, AuditActions.Delete, $"project {p.Id}", p.Name);
        if (settings.Json)
        {
            CliContext.PrintJson(new { deleted = p.Name, id = p.Id });
        }
        else
        {
            AnsiConsole.MarkupLine($"Deleted project [bold]{Markup.Escape(p.Name)}[/]. Its versions remain; `cairn gc` reclaims unreferenced objects.");
        }

        return 0;
    }
}
