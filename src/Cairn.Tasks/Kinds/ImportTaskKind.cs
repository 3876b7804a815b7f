using System.Text.Json.Nodes;
using Cairn.Core.Formats;
using Cairn.Storage;
using Cairn.Storage.Projects;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// <c>import</c>: reads a dataset folder or archive on the machine running the task into a new project (version 1).
/// Parameters: format, path, project, annotations (COCO file, optional), description (optional), noVersion (optional).
/// The same use case as `cairn import` (<see cref="ImportService"/>), run as the task the runner created.
/// </summary>
public sealed class ImportTaskKind : ITaskKind
{
    /// <inheritdoc/>
    public string Kind => "import";

    /// <inheritdoc/>
    public string Title(JsonObject p) => ImportService.Title(p["format"]?.ToString() ?? "?", p["project"]?.ToString() ?? "?");

    /// <inheritdoc/>
    public string? Validate(JsonObject p, CairnStore store)
    {
        var format = p["format"]?.GetValue<string>();
        if (format is null || !DatasetFormats.Names.Contains(format, StringComparer.OrdinalIgnoreCase))
        {
            return $"parameter 'format': expected one of {string.Join(", ", DatasetFormats.Names)}, got '{format}'";
        }

        var path = p["path"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(path) || (!File.Exists(path) && !Directory.Exists(path)))
        {
            return $"parameter 'path': expected a dataset folder or archive on the server, '{path}' does not exist";
        }

        var project = p["project"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(project))
        {
            return "parameter 'project': expected the new project's name";
        }

        return new ProjectService(store).Find(project) is null ? null : $"parameter 'project': a project named '{project}' exists already; choose another name (or delete that project)";
    }

    /// <inheritdoc/>
    public Task RunAsync(TaskContext ctx)
    {
        var request = new ImportRequest(ctx.String("format"), ctx.String("path"), ctx.String("project"), ctx.OptionalString("annotations"), ctx.OptionalString("description"), ctx.Parameters["noVersion"]?.GetValue<bool>() ?? false);
        ctx.Log($"importing {request.Format} from {request.Path}");
        var progress = new SyncProgress(p => ctx.Report(p.Total > 0 ? (double)p.Done / p.Total : 0, p.Stage));
        using var read = ProjectImporter.Read(request.Format, request.Path, new ImportOptions(ImportLimits.Default, request.Annotations), Path.Combine(ctx.Store.Home, "tmp"), ctx.Cancellation);
        var outcome = new ImportService(ctx.Store).Run(read, request, ctx.TaskId, progress, ctx.Cancellation);
        ctx.Result = JsonNode.Parse(ImportService.ResultJson(outcome))!.AsObject();
        return Task.CompletedTask;
    }

    private sealed class SyncProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
