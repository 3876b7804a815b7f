using System.Text.Json.Nodes;
using Cairn.Core.Formats;
using Cairn.Storage;
using Cairn.Storage.Projects;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// <c>import</c>: reads a dataset folder or archive on the machine running the task into a new project (version 1), or
/// with <c>existing</c> into an existing one (its next version). Parameters: the <see cref="ImportRequest"/> (format,
/// path, project, annotations, description, noVersion, existing, dataset).
/// The same use case as `cairn import` (<see cref="ImportService"/>), run as the task the runner created.
/// </summary>
public sealed class ImportTaskKind(CairnStore store, ProjectService projects, ImportService imports) : TaskKind<ImportRequest>
{
    /// <inheritdoc/>
    public override string Kind => "import";

    /// <inheritdoc/>
    protected override string Title(ImportRequest p) => ImportService.Title(p);

    /// <inheritdoc/>
    protected override string? Check(ImportRequest p) =>
        !ImageFolder.ImportNames.Contains(p.Format, StringComparer.OrdinalIgnoreCase) ? $"parameter 'format': expected one of {string.Join(", ", ImageFolder.ImportNames)}, got '{p.Format}'"
        : !File.Exists(p.Path) && !Directory.Exists(p.Path) ? $"parameter 'path': expected a dataset folder or archive on the server, '{p.Path}' does not exist"
        : p.Dataset is { } d && !DatasetPaths.IsValid(d) ? $"parameter 'dataset': expected a dataset path such as 'train' or 'train/city' (no empty, '.' or '..' parts), got '{d}'"
        : p.Existing ? (projects.Find(p.Project) is null ? $"parameter 'project': expected an existing project to import into, there is none named '{p.Project}'" : null)
        : Taken(projects, p.Project, "project");


    /// <inheritdoc/>
    protected override Task RunAsync(TaskContext ctx, ImportRequest p)
    {
        ctx.Log($"importing {p.Format} from {p.Path}");
        var progress = new SyncProgress(x => ctx.Report(x.Total > 0 ? (double)x.Done / x.Total : 0, x.Stage));
        using var read = ProjectImporter.Read(p.Format, p.Path, new ImportOptions(ImportLimits.Default, p.Annotations), Path.Combine(store.Home, "tmp"), ctx.Cancellation);
        var outcome = imports.Run(read, p, ctx.TaskId, progress, ctx.Cancellation, ctx.Task.Author);
        ctx.Result = JsonNode.Parse(ImportService.ResultJson(outcome))!.AsObject();
        return Task.CompletedTask;
    }

    private sealed class SyncProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
