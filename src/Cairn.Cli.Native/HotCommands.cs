using System.Globalization;
using Cairn.Core.Formats;
using Cairn.Storage;
using Cairn.Storage.Catalog;
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

        var r = new VersionCreator(store).Create(project.Id, title, description, author ?? Environment.UserName, ct: ct)!;
        if (json)
        {
            CliOutput.PrintJson(new VersionCreatedJson(r.Created, project.Name, VersionJson.From(r.Version), r.ElapsedMs));
            return 0;
        }

        AnsiConsole.MarkupLine(r.Created
            ? $"Created version [bold]{Markup.Escape(project.Name)}@{r.Version.Number}[/]: {r.Version.Items} items, {r.Version.Labels} labels, {CliOutput.Bytes(r.Version.NewBytes)} newly stored ({r.ElapsedMs} ms)."
            : $"Nothing changed since version [bold]{Markup.Escape(project.Name)}@{r.Version.Number}[/]: no new version made.");
        return 0;
    }

    /// <summary>
    /// `cairn import FORMAT PATH`: a new project from a dataset folder or archive, all or nothing, with its version 1
    /// (unless <paramref name="noVersion"/>), as an import task on the graph (<see cref="ImportService"/>, as the web
    /// import). The annotations are read on another core while <paramref name="open"/> opens the store (on a new home,
    /// creating the catalog). With <paramref name="existing"/>, the items go into the existing project
    /// <paramref name="projectName"/> (into <paramref name="dataset"/> when given), its classes merged, and the version
    /// taken is its next one.
    /// </summary>
    public static int Import(string home, Func<CairnStore> open, string format, string path, string? projectName, string? annotations, string? description, bool noVersion, bool json, CancellationToken ct, bool existing = false, string? dataset = null)
    {
        var name = projectName ?? Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        var options = new ImportOptions(ImportLimits.Default, annotations);
        var reading = Task.Run(() => ProjectImporter.Read(format, path, options, Path.Combine(home, "tmp"), ct), ct);
        ImportOutcome outcome;
        ReadDataset? read = null;
        try
        {
            using var store = open();
            read = reading.GetAwaiter().GetResult();
            var import = new ImportService(store);
            var request = new ImportRequest(format, path, name, annotations, description, noVersion, existing, dataset);
            outcome = CliProgress.Run("Importing", p => import.Run(read, request, progress: p, ct: ct, author: Environment.UserName));
        }
        catch (DatasetFormatException e)
        {
            return CliOutput.Fail(json, $"import failed, nothing was imported: {e.Message}");
        }
        catch (Exception e) when (e is ProjectExistsException or ProjectMissingException or ImportClashException)
        {
            return CliOutput.Fail(json, (e is ImportClashException ? "import failed, nothing was imported: " : string.Empty) + CliErrors.Text(e));
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

        var result = outcome.Result;
        if (json)
        {
            CliOutput.PrintJson(new ImportedJson(outcome.TaskId, new ProjectRefJson(result.Project.Id, result.Project.Name), outcome.Version?.Number, result.Items, result.Labels, result.Classes, result.Bytes, result.NewBytes, result.Elapsed.TotalSeconds, result.StageSeconds, result.Warnings, result.NewClasses));
            return 0;
        }

        foreach (var w in result.Warnings)
        {
            CliOutput.Err.MarkupLine($"[yellow]warning:[/] {Markup.Escape(w)}");
        }

        if (existing)
        {
            AnsiConsole.MarkupLine(result.NewClasses.Count == 0
                ? "Classes: none new."
                : $"Classes added to [bold]{Markup.Escape(result.Project.Name)}[/]: {Markup.Escape(string.Join(", ", result.NewClasses))}.");
        }

        AnsiConsole.MarkupLine($"{(existing ? "Imported into" : "Imported")} [bold]{Markup.Escape(result.Project.Name)}[/] (id {result.Project.Id}): {result.Items} images, {result.Labels} labels, {result.Classes} classes, {CliOutput.Bytes(result.Bytes)} ({CliOutput.Bytes(result.NewBytes)} newly stored) in {result.Elapsed.TotalSeconds:0.00} s.");
        AnsiConsole.MarkupLine(outcome.Version is { } v
            ? $"Version [bold]{Markup.Escape(result.Project.Name)}@{v.Number}[/] taken; task {outcome.TaskId} on the workflow graph."
            : $"No version taken (--no-version); task {outcome.TaskId} on the workflow graph. Next: [grey]cairn version create {Markup.Escape(result.Project.Name)}[/].");
        return 0;
    }

    /// <summary>
    /// `cairn version diff FROM TO`: items added, removed and changed between two versions (project@N), or a version
    /// and a project's working state (its name); label counts per class before and after.
    /// </summary>
    public static int VersionDiff(CairnStore store, string from, string to, int limit, bool json, CancellationToken ct)
    {
        var creator = new VersionCreator(store);
        var a = Side(store, creator, json, from, ct);
        var b = a is null ? null : Side(store, creator, json, to, ct);
        if (a is null || b is null)
        {
            return 1;
        }

        var d = new VersionDiffer(store).Diff(a.Value.Root, a.Value.Stats, b.Value.Root, b.Value.Stats, from, to);
        if (json)
        {
            CliOutput.PrintJson(new VersionDiffJson(d.From, d.To, d.MetaChanged, new DiffSummaryJson(d.Added.Count, d.Removed.Count, d.Changed.Count, d.ImagesChanged, d.LabelsChanged), d.Classes, d.Added, d.Removed, d.Changed));
            return 0;
        }

        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(d.From)}[/] → [bold]{Markup.Escape(d.To)}[/]: {d.Added.Count} added, {d.Removed.Count} removed, {d.Changed.Count} changed ({d.ImagesChanged} image, {d.LabelsChanged} labels){(d.MetaChanged ? "; project meta changed" : "")}");
        var classes = new Table().AddColumns("class", "labels before", "labels after", "images before", "images after");
        foreach (var c in d.Classes.Where(c => c.LabelsBefore != c.LabelsAfter || c.ImagesBefore != c.ImagesAfter))
        {
            classes.AddRow(Markup.Escape(c.ClassName), N(c.LabelsBefore), N(c.LabelsAfter), N(c.ImagesBefore), N(c.ImagesAfter));
        }

        if (classes.Rows.Count > 0)
        {
            AnsiConsole.Write(classes);
        }

        foreach (var x in d.Added.Take(limit))
        {
            AnsiConsole.MarkupLine($"[green]+[/] {Markup.Escape(x.Dataset)}/{Markup.Escape(x.Name)} ({x.Labels} labels)");
        }

        foreach (var x in d.Removed.Take(limit))
        {
            AnsiConsole.MarkupLine($"[red]-[/] {Markup.Escape(x.Dataset)}/{Markup.Escape(x.Name)} ({x.Labels} labels)");
        }

        foreach (var x in d.Changed.Take(limit))
        {
            var what = x.ImageChanged && x.LabelsChanged ? "image and labels" : x.ImageChanged ? "image" : $"labels {x.LabelsBefore} → {x.LabelsAfter}";
            AnsiConsole.MarkupLine($"[yellow]~[/] {Markup.Escape(x.Dataset)}/{Markup.Escape(x.Name)} ({Markup.Escape(what)})");
        }

        if (Math.Max(d.Added.Count, Math.Max(d.Removed.Count, d.Changed.Count)) > limit)
        {
            AnsiConsole.MarkupLine($"(lists cut at {limit} per kind; --limit N or --json for more)");
        }

        return 0;
    }

    /// <summary>Finds the project (and version, when the text names one); prints the error and returns null when not found.</summary>
    public static (ProjectRow Project, VersionSummary? Version)? Resolve(CairnStore store, bool json, string text, bool requireVersion)
    {
        if (!VersionSpec.TryParse(text, out var spec, out var error))
        {
            CliOutput.Fail(json, error);
            return null;
        }

        var project = new ProjectService(store).Find(spec.Project);
        if (project is null)
        {
            CliOutput.Fail(json, CliOutput.NoProject(spec.Project));
            return null;
        }

        if (spec.Number is not { } n)
        {
            if (requireVersion)
            {
                CliOutput.Fail(json, $"'{text}': name a version as {project.Name}@N. Run `cairn version list {project.Name}`.");
                return null;
            }

            return (project, null);
        }

        var v = new VersionBrowser(store).Get(project.Id, n);
        if (v is null)
        {
            CliOutput.Fail(json, $"project '{project.Name}' has no version {n}. Run `cairn version list {project.Name}`.");
            return null;
        }

        return (project, v);
    }

    // One side of a diff: a version's tree, or the project's working state as a tree.
    private static (Core.Ids.ContentId Root, VersionStats Stats)? Side(CairnStore store, VersionCreator creator, bool json, string text, CancellationToken ct)
    {
        if (Resolve(store, json, text, requireVersion: false) is not (var project, var version))
        {
            return null;
        }

        return version is not null ? (version.RootId, version.Stats) : creator.WorkingSnapshot(project.Id, ct);
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>`cairn project list`: every project with its counts and latest version.</summary>
    public static int ProjectList(CairnStore store, bool json)
    {
        var projects = new ProjectService(store).List();
        if (json)
        {
            CliOutput.PrintJson(new ProjectListJson([.. projects.Select(p => new ProjectJson(p.Project.Id, p.Project.Name, p.Project.Description, p.Items, p.Labels, p.LatestVersion, p.Project.CreatedAt))]));
            return 0;
        }

        if (projects.Count == 0)
        {
            AnsiConsole.MarkupLine(Markup.Escape("No projects yet. Import one with `cairn import FORMAT PATH --project NAME` (formats: " + string.Join(", ", DatasetFormats.Names) + "), or generate one with `cairn op generate --output NAME`."));
            return 0;
        }

        var table = new Table().AddColumns("id", "name", "items", "labels", "latest version", "created");
        foreach (var p in projects)
        {
            table.AddRow(N(p.Project.Id), Markup.Escape(p.Project.Name), N(p.Items), N(p.Labels), p.LatestVersion == 0 ? "-" : $"v{p.LatestVersion}", p.Project.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        return 0;
    }

    /// <summary>`cairn version list PROJECT`: a project's versions, newest first.</summary>
    public static int VersionList(CairnStore store, string projectName, bool json)
    {
        var project = new ProjectService(store).Find(projectName);
        if (project is null)
        {
            return CliOutput.Fail(json, CliOutput.NoProject(projectName));
        }

        var versions = new VersionBrowser(store).List(project.Id);
        if (json)
        {
            CliOutput.PrintJson(new VersionListJson(project.Name, [.. versions.Select(VersionJson.From)]));
            return 0;
        }

        if (versions.Count == 0)
        {
            AnsiConsole.MarkupLine(Markup.Escape($"Project '{project.Name}' has no versions yet. Make one with `cairn version create {project.Name}`."));
            return 0;
        }

        var table = new Table().AddColumns("version", "title", "author", "created", "items", "labels", "newly stored");
        foreach (var v in versions)
        {
            table.AddRow($"{Markup.Escape(project.Name)}@{v.Number}", Markup.Escape(v.Title ?? ""), Markup.Escape(v.Author ?? ""), v.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), N(v.Items), N(v.Labels), CliOutput.Bytes(v.NewBytes));
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
