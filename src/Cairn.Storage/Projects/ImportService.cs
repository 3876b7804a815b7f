using System.Globalization;
using System.Text;
using System.Text.Json;
using Cairn.Storage.Catalog;
using Cairn.Storage.Versions;

namespace Cairn.Storage.Projects;

/// <summary>
/// What to import: the format, the folder or archive, the project (a new one, or with <see cref="Existing"/> one that
/// exists), the dataset every item goes into (null: the datasets the format names), and whether to take a version.
/// </summary>
public sealed record ImportRequest(string Format, string Path, string Project, string? Annotations = null, string? Description = null, bool NoVersion = false, bool Existing = false, string? Dataset = null);

/// <summary>An import's task, what the importer did, and version 1 (null with <see cref="ImportRequest.NoVersion"/>).</summary>
public sealed record ImportOutcome(long TaskId, ImportResult Result, VersionSummary? Version);

/// <summary>
/// The import use case, one for every front (CLI, native CLI front, web form, REST): an <c>import</c> task with the
/// new project and its version 1 as outputs, so every import is a node of the workflow graph. Plain SQL over the
/// catalog (<see cref="Sql"/>), because the native-AOT front runs it and cannot use EF Core's queries; the rows are the
/// task runner's own, which reads them back through EF.
/// </summary>
public sealed class ImportService(CairnStore store)
{
    /// <summary>The import task's title.</summary>
    public static string Title(string format, string project) => $"import {format} → {project}";

    /// <summary>The import task's title for <paramref name="request"/> (naming the dataset when one is given).</summary>
    public static string Title(ImportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Title(request.Format, request.Dataset is null ? request.Project : $"{request.Project}/{request.Dataset}");
    }

    /// <summary>
    /// Stores the images of <paramref name="read"/>, writes the project and takes its version 1, recorded as outputs of
    /// task <paramref name="taskId"/> (one the task runner created and runs, which also rolls back its outputs when it
    /// fails) or, when null, of a new task this call records as running, then succeeded or failed. <paramref name="author"/>
    /// (who imports) is recorded on a task this call creates and on version 1.
    /// </summary>
    public ImportOutcome Run(ReadDataset read, ImportRequest request, long? taskId = null, IProgress<ImportProgress>? progress = null, CancellationToken ct = default, string? author = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(request);
        var existing = new ProjectService(store).Find(request.Project);
        if (request.Existing && existing is null)
        {
            throw new ProjectMissingException(request.Project);
        }

        if (!request.Existing && existing is not null)
        {
            throw new ProjectExistsException(request.Project);
        }

        var own = taskId is null;
        var id = taskId ?? CreateTask(request, author);
        try
        {
            var importer = new ProjectImporter(store);
            var result = request.Existing
                ? importer.ImportInto(read, existing!, request.Dataset, progress, ct)
                : importer.Import(read, request.Project, request.Description, id, progress, ct, request.Dataset);
            AddOutput(id, "project", result.Project.Id, result.Project.Name);
            VersionSummary? version = null;
            if (!request.NoVersion)
            {
                // Into an existing project this is its next version, whose diff against the one before shows the additions.
                version = new VersionCreator(store).Create(result.Project.Id, Title(request), $"Written by task {id.ToString(CultureInfo.InvariantCulture)}.", author ?? "cairn", id, ct)!.Version;
                AddOutput(id, "version", version.Id, $"{result.Project.Name}@{version.Number.ToString(CultureInfo.InvariantCulture)}");
            }

            foreach (var w in result.Warnings)
            {
                Log(id, "warning", w);
            }

            if (request.Existing)
            {
                Log(id, "info", result.NewClasses.Count == 0 ? $"classes: none new (the project's {result.Classes} cover the import)" : $"classes added to {result.Project.Name}: {string.Join(", ", result.NewClasses)}");
            }

            Log(id, "info", $"output {result.Project.Name}: {result.Items} items, {result.Labels} labels, {result.Classes} classes{(version is null ? ", no version (none asked for)" : $", version {version.Number.ToString(CultureInfo.InvariantCulture)}")}");
            var outcome = new ImportOutcome(id, result, version);
            if (own)
            {
                Finish(id, "succeeded", null, ResultJson(outcome));
            }

            return outcome;
        }
        catch (Exception e) when (own)
        {
            Finish(id, e is OperationCanceledException ? "cancelled" : "failed", e.Message, null);
            throw;
        }
    }

    /// <summary>The task's result document: the project and what went into it.</summary>
    public static string ResultJson(ImportOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var r = outcome.Result;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("project", r.Project.Name);
            w.WriteNumber("items", r.Items);
            w.WriteNumber("labels", r.Labels);
            w.WriteNumber("classes", r.Classes);
            w.WriteNumber("bytes", r.Bytes);
            w.WriteNumber("newBytes", r.NewBytes);
            w.WriteStartArray("newClasses");
            foreach (var c in r.NewClasses)
            {
                w.WriteStringValue(c);
            }

            w.WriteEndArray();
            if (outcome.Version is { } v)
            {
                w.WriteNumber("version", v.Number);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private long CreateTask(ImportRequest request, string? author)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("format", request.Format);
            w.WriteString("path", System.IO.Path.GetFullPath(request.Path));
            w.WriteString("project", request.Project);
            if (request.Annotations is not null)
            {
                w.WriteString("annotations", request.Annotations);
            }

            if (request.Description is not null)
            {
                w.WriteString("description", request.Description);
            }

            if (request.NoVersion)
            {
                w.WriteBoolean("noVersion", true);
            }

            if (request.Existing)
            {
                w.WriteBoolean("existing", true);
            }

            if (request.Dataset is not null)
            {
                w.WriteString("dataset", request.Dataset);
            }

            w.WriteEndObject();
        }

        using var conn = store.OpenConnection();
        var now = store.UtcNow;
        return Convert.ToInt64(
            Sql.Scalar(
                conn,
                null,
                "INSERT INTO tasks (WorkspaceId, Kind, Title, ParametersJson, Author, Status, Progress, CancelRequested, CreatedAt, StartedAt, HeartbeatAt) " +
                "SELECT Id, 'import', @t, @p, @a, 'running', 0, @no, @c, @c, @c FROM workspaces ORDER BY Id LIMIT 1 RETURNING Id",
                ("@t", Title(request)),
                ("@a", author),
                ("@p", Encoding.UTF8.GetString(buffer.ToArray())),
                ("@no", false),
                ("@c", now)),
            CultureInfo.InvariantCulture);
    }

    private void AddOutput(long taskId, string kind, long refId, string title)
    {
        using var conn = store.OpenConnection();
        using var cmd = Sql.Command(
            conn,
            null,
            "INSERT INTO task_relations (TaskId, Direction, NodeKind, RefId, Title, CreatedAt) VALUES (@t, 'output', @k, @r, @n, @c)",
            ("@t", taskId),
            ("@k", kind),
            ("@r", refId),
            ("@n", title),
            ("@c", store.UtcNow));
        cmd.ExecuteNonQuery();
    }

    private void Log(long taskId, string level, string message)
    {
        using var conn = store.OpenConnection();
        using var cmd = Sql.Command(conn, null, "INSERT INTO task_logs (TaskId, Time, Level, Message) VALUES (@t, @c, @l, @m)", ("@t", taskId), ("@c", store.UtcNow), ("@l", level), ("@m", message));
        cmd.ExecuteNonQuery();
    }

    private void Finish(long taskId, string status, string? error, string? resultJson)
    {
        using var conn = store.OpenConnection();
        var now = store.UtcNow;
        using var cmd = Sql.Command(
            conn,
            null,
            "UPDATE tasks SET Status = @s, Error = @e, ResultJson = @r, Progress = @p, ProgressMessage = @m, EndedAt = @c, HeartbeatAt = @c WHERE Id = @t",
            ("@s", status),
            ("@e", error),
            ("@r", resultJson),
            ("@p", status == "succeeded" ? 1.0 : 0.0),
            ("@m", status == "succeeded" ? "done" : null),
            ("@c", now),
            ("@t", taskId));
        cmd.ExecuteNonQuery();
    }
}

/// <summary>An import into an existing project named one that does not exist. Fronts word the remedy.</summary>
public sealed class ProjectMissingException(string name)
    : Exception($"there is no project named '{name}' to import into")
{
    /// <summary>The name asked for.</summary>
    public string Name { get; } = name;
}
