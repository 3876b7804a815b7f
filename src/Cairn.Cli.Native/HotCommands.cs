using Cairn.Core.Formats;
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

    /// <summary>
    /// `cairn import FORMAT PATH`: a new project from a dataset folder or archive, all or nothing. The annotations are
    /// read on another core while <paramref name="open"/> opens the store (on a new home, creating the catalog).
    /// </summary>
    public static int Import(string home, Func<CairnStore> open, string format, string path, string? projectName, string? annotations, string? description, bool json, CancellationToken ct)
    {
        var name = projectName ?? Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        var options = new ImportOptions(ImportLimits.Default, annotations);
        var reading = Task.Run(() => ProjectImporter.Read(format, path, options, Path.Combine(home, "tmp"), ct), ct);
        ImportResult result;
        ReadDataset? read = null;
        try
        {
            using var store = open();
            read = reading.GetAwaiter().GetResult();
            var importer = new ProjectImporter(store);
            result = CliProgress.Run("Importing", p => importer.Import(read, name, description, progress: p, ct: ct));
        }
        catch (DatasetFormatException e)
        {
            return CliOutput.Fail(json, $"import failed, nothing was imported: {e.Message}");
        }
        catch (ProjectExistsException e)
        {
            return CliOutput.Fail(json, e.Message);
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

        if (json)
        {
            CliOutput.PrintJson(new ImportedJson(new ProjectRefJson(result.Project.Id, result.Project.Name), result.Items, result.Labels, result.Classes, result.Bytes, result.NewBytes, result.Elapsed.TotalSeconds, result.StageSeconds, result.Warnings));
            return 0;
        }

        foreach (var w in result.Warnings)
        {
            CliOutput.Err.MarkupLine($"[yellow]warning:[/] {Markup.Escape(w)}");
        }

        AnsiConsole.MarkupLine($"Imported [bold]{Markup.Escape(result.Project.Name)}[/] (id {result.Project.Id}): {result.Items} images, {result.Labels} labels, {result.Classes} classes, {result.Bytes / 1e6:0.0} MB ({result.NewBytes / 1e6:0.0} MB new) in {result.Elapsed.TotalSeconds:0.00} s.");
        AnsiConsole.MarkupLine($"Next: [grey]cairn version create {Markup.Escape(result.Project.Name)}[/] to snapshot it, or open it in [grey]cairn serve[/].");
        return 0;
    }
}
