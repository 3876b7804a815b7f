using System.Text.Json.Nodes;
using Cairn.Core.Formats;
using Cairn.Storage;
using Cairn.Storage.Projects;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// <c>import</c>: reads a dataset folder or archive on the machine running the task into a new project (version 1).
/// Parameters: the <see cref="ImportRequest"/> (format, path, project, annotations, description, noVersion).
/// The same use case as `cairn import` (<see cref="ImportService"/>), run as the task the runner created.
/// </summary>
public sealed class ImportTaskKind(CairnStore store, ProjectService projects, ImportService imports) : TaskKind<ImportRequest>
{
    /// <inheritdoc/>
    public override string Kind => "import";

    /// <inheritdoc/>
    protected override string Title(ImportRequest p) => ImportService.Title(p.Format, p.Project);

    /// <inheritdoc/>
    protected override string? Check(ImportRequest p) =>
        !DatasetFormats.Names.Contains(p.Format, StringComparer.OrdinalIgnoreCase) ? $"parameter 'format': expected one of {string.Join(", ", DatasetFormats.Names)}, got '{p.Format}'"
        : !File.Exists(p.Path) && !Directory.Exists(p.Path) ? $"parameter 'path': expected a dataset folder or archive on the server, '{p.Path}' does not exist"
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
