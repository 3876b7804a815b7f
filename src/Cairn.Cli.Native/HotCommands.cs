using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Spectre.Console;

namespace Cairn.Cli.Native;

/// <summary>The bodies of the commands the native front runs; the full CLI runs the same code for them.</summary>
public static class HotCommands
{
    /// <summary>`cairn version create PROJECT`: makes version N+1, or says that nothing changed since version N.</summary>
    public static int VersionCreate(CairnStore store, string projectName, string? title, string? description, string? author, bool json, CancellationToken ct)
    {
        var project = new ProjectService(store).Find(projectName);
        if (project is null)
        {
            return CliOutput.Fail(json, CliOutput.NoProject(projectName));
        }

        var r = new VersionService(store).Create(project.Id, title, description, author ?? Environment.UserName, ct: ct)!;
        if (json)
        {
            CliOutput.PrintJson(new VersionCreatedJson(r.Created, project.Name, VersionJson.From(r.Version), r.ElapsedMs));
            return 0;
        }

        AnsiConsole.MarkupLine(r.Created
            ? $"Created version [bold]{Markup.Escape(project.Name)}@{r.Version.Number}[/]: {r.Version.Items} items, {r.Version.Labels} labels, {CliOutput.Bytes(r.Version.NewBytes)} new ({r.ElapsedMs} ms)."
            : $"Nothing changed since version [bold]{Markup.Escape(project.Name)}@{r.Version.Number}[/]: no new version made.");
        return 0;
    }
}
