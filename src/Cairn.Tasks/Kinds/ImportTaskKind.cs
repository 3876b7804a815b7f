using System.Text.Json.Nodes;
using Cairn.Core.Formats;
using Cairn.Storage;
using Cairn.Storage.Projects;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// <c>import</c>: reads a dataset folder or archive on the machine running the task into a new project (version 1).
/// Parameters: format, path, project, annotations (COCO file, optional), description (optional).
/// </summary>
public sealed class ImportTaskKind : ITaskKind
{
    /// <inheritdoc/>
    public string Kind => "import";

    /// <inheritdoc/>
    public string Title(JsonObject p) => $"import {p["format"]} → {p["project"]}";

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
        var format = ctx.String("format");
        var path = ctx.String("path");
        var name = ctx.String("project");
        ctx.Log($"importing {format} from {path}");
        var options = new ImportOptions(ImportLimits.Default, ctx.OptionalString("annotations"));
        var progress = new SyncProgress(p => ctx.Report(p.Total > 0 ? (double)p.Done / p.Total : 0, p.Stage));
        var result = new ProjectImporter(ctx.Store).Import(format, path, name, options, ctx.OptionalString("description"), ctx.TaskId, progress, ctx.Cancellation);
        foreach (var w in result.Warnings)
        {
            ctx.Log(w, "warning");
        }

        ctx.AdoptOutputProject(result.Project);
        ctx.Result = new JsonObject
        {
            ["project"] = result.Project.Name,
            ["items"] = result.Items,
            ["labels"] = result.Labels,
            ["classes"] = result.Classes,
            ["bytes"] = result.Bytes,
            ["newBytes"] = result.NewBytes,
        };
        return Task.CompletedTask;
    }

    private sealed class SyncProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
