namespace Cairn.Storage.Catalog;

// Stored catalog rows. Wire DTOs live in the server; these are the persistence shape only.
// Ids are 64-bit integers; content ids are 32-byte blobs; times are UTC DateTime (portable across SQLite and PostgreSQL).
#pragma warning disable CS1591

/// <summary>A namespace of projects, files and members.</summary>
public sealed class WorkspaceRow
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A project's mutable working state header.</summary>
public sealed class ProjectRow
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }

    /// <summary>Project meta (classes, tag definitions) as canonical JSON.</summary>
    public required string MetaJson { get; set; }

    /// <summary>Incremented by every write to the working state; items carry the value of their last change.</summary>
    public long ChangeSeq { get; set; }

    /// <summary>The version this project was restored from, if any.</summary>
    public long? OriginVersionId { get; set; }

    /// <summary>The task that created this project, if any.</summary>
    public long? CreatedByTaskId { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A named (possibly nested, '/'-separated) folder of items inside a project.</summary>
public sealed class DatasetRow
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public required string Path { get; set; }
}

/// <summary>One image with its annotation, in a project's working state.</summary>
public sealed class ItemRow
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public long DatasetId { get; set; }
    public required string Name { get; set; }

    /// <summary>Content id (32 bytes) of the image bytes in the object store.</summary>
    public required byte[] ImageId { get; set; }

    public long ImageSize { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }

    /// <summary>Content id (32 bytes) of the canonical annotation document.</summary>
    public required byte[] AnnotationId { get; set; }

    /// <summary>The canonical annotation document (JSON), kept inline for fast reads and queries.</summary>
    public required string AnnotationJson { get; set; }

    public int LabelCount { get; set; }

    /// <summary>Distinct class names present, as "|a|b|" for LIKE filters.</summary>
    public required string ClassList { get; set; }

    /// <summary>The project's <see cref="ProjectRow.ChangeSeq"/> at this item's last change.</summary>
    public long ChangeSeq { get; set; }

    /// <summary>Who last edited the annotation by hand (API or editor); null for items only imported or written by tasks.</summary>
    public string? EditedBy { get; set; }
}

/// <summary>A tombstone for an item removed from the working state (so a version knows what went).</summary>
public sealed class RemovedItemRow
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public required string DatasetPath { get; set; }
    public required string Name { get; set; }
    public long ChangeSeq { get; set; }
}

/// <summary>An immutable snapshot of a project.</summary>
public sealed class VersionRow
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public int Number { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Author { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Content id (32 bytes) of the snapshot's root node.</summary>
    public required byte[] RootId { get; set; }

    /// <summary>The project's change counter the snapshot reflects.</summary>
    public long ChangeSeq { get; set; }

    public long ItemCount { get; set; }
    public long LabelCount { get; set; }
    public long TotalBytes { get; set; }

    /// <summary>
    /// Bytes this version added to the object store: its snapshot nodes not shared with earlier ones. Images are stored
    /// when they are imported or edited, so they are not counted again here.
    /// </summary>
    public long NewBytes { get; set; }

    /// <summary>Statistics (labels per class, per dataset, …) as JSON.</summary>
    public required string StatsJson { get; set; }

    /// <summary>The task that produced this version, if any.</summary>
    public long? CreatedByTaskId { get; set; }
}

/// <summary>One run of an operation.</summary>
public sealed class TaskRow
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public required string ParametersJson { get; set; }

    /// <summary>Who started the task: the signed-in user, or the OS user for the CLI; null for tasks from before authorship.</summary>
    public string? Author { get; set; }

    /// <summary>queued, running, succeeded, failed, cancelled.</summary>
    public required string Status { get; set; }

    public double Progress { get; set; }
    public string? ProgressMessage { get; set; }
    public string? Error { get; set; }
    public string? ResultJson { get; set; }

    /// <summary>Node settings set by the task (icon, colour, link) as JSON.</summary>
    public string? NodeJson { get; set; }

    public string? JobId { get; set; }
    public bool CancelRequested { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public DateTime? HeartbeatAt { get; set; }
}

/// <summary>One line of a task's log.</summary>
public sealed class TaskLogRow
{
    public long Id { get; set; }
    public long TaskId { get; set; }
    public DateTime Time { get; set; }
    public required string Level { get; set; }
    public required string Message { get; set; }
}

/// <summary>An input or output of a task: an edge of the workflow graph.</summary>
public sealed class TaskRelationRow
{
    public long Id { get; set; }
    public long TaskId { get; set; }

    /// <summary>"input" or "output".</summary>
    public required string Direction { get; set; }

    /// <summary>project, version, dataset, file, folder, model, evaluation, task.</summary>
    public required string NodeKind { get; set; }

    /// <summary>The id of the referenced row, when the node is a catalog row.</summary>
    public long? RefId { get; set; }

    /// <summary>A path (dataset path, folder path) qualifying the reference.</summary>
    public string? RefPath { get; set; }

    public string? Title { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A file in the workspace file store (checkpoints, reports, exports).</summary>
public sealed class FileRow
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }

    /// <summary>Path inside the workspace file tree, '/'-separated.</summary>
    public required string Path { get; set; }

    public required byte[] ContentId { get; set; }
    public long Size { get; set; }

    /// <summary>checkpoint, report, metrics, log, other.</summary>
    public required string Kind { get; set; }

    public long? TaskId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A registered model.</summary>
public sealed class ModelRow
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public required byte[] FileId { get; set; }
    public long FileSize { get; set; }
    public required string ClassesJson { get; set; }
    public int InputSize { get; set; }
    public required string Layout { get; set; }
    public required string InfoJson { get; set; }
    public long? TaskId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A model benchmarked on a project version.</summary>
public sealed class EvaluationRow
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public long? ModelId { get; set; }
    public long? VersionId { get; set; }
    public long? TaskId { get; set; }
    public required string Title { get; set; }
    public required string IouType { get; set; }
    public double MapAll { get; set; }
    public double Map50 { get; set; }
    public required string GroundTruthFingerprint { get; set; }
    public required string MetricsJson { get; set; }
    public long? ReportFileId { get; set; }
    public DateTime CreatedAt { get; set; }
}
#pragma warning restore CS1591
