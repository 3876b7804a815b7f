using Cairn.Operations.Files;
using Cairn.Storage.Catalog;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks;

/// <summary>Workspace files a task writes (or reads): stored by <see cref="FileService"/>'s rule and recorded as the task's outputs (or inputs).</summary>
public sealed class TaskFiles(TaskRecords records, FileService files)
{
    /// <summary>
    /// Stores bytes as a workspace file written (or read) by a task and records it as the task's output (or input);
    /// the returned row's path is the one stored (numbered when the path was taken).
    /// </summary>
    public FileRow AddFile(long taskId, string direction, string path, Stream content, string kind = "other", CancellationToken ct = default)
    {
        path = path.Replace('\\', '/').Trim('/');
        if (path.Length == 0 || path.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw new TaskValidationException($"path '{path}': expected a relative path like runs/train/best.pt, without '.' or '..' segments");
        }

        TaskRecords.CheckDirection(direction);

        // A path that exists keeps its file and the new one is named "x (2)" (FileService's rule, the one for every file).
        var file = files.Add(path, content, kind, taskId, records.WorkspaceOf(taskId), ct);
        records.AddRelation(taskId, direction, new NodeRef(NodeKinds.File, file.Id, file.Path, Path.GetFileName(file.Path)));
        return file;
    }
}
