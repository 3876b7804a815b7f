using System.Text.Json;

namespace Cairn.Server.Endpoints;

/// <summary>A task on the wire.</summary>
public sealed record TaskDto(
    long Id,
    string Kind,
    string Title,
    string? Description,
    string Status,
    double Progress,
    string? ProgressMessage,
    string? Error,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? EndedAt,
    JsonElement Parameters,
    JsonElement? Result,
    JsonElement? Node,
    bool CancelRequested,
    string Link,
    string? Author);

/// <summary>An input or output of a task.</summary>
public sealed record RelationDto(long Id, string Direction, string Kind, long? RefId, string? Path, string? Title, DateTime CreatedAt);

/// <summary>A task with its inputs and outputs.</summary>
public sealed record TaskDetailDto(TaskDto Task, IReadOnlyList<RelationDto> Inputs, IReadOnlyList<RelationDto> Outputs);

/// <summary>One log line.</summary>
public sealed record LogLineDto(long Id, DateTime Time, string Level, string Message);

/// <summary>A request to start a task: kind, parameters (JSON object), optional title and description.</summary>
public sealed record StartTaskRequest(string Kind, JsonElement Parameters, string? Title, string? Description);

/// <summary>A node to add as an input or output of a task: kind (project, version, dataset, file, folder, model, evaluation, task), id and/or path, title.</summary>
public sealed record RelationRequest(string Kind, long? RefId, string? Path, string? Title);

/// <summary>Node settings of a task (null fields stay).</summary>
public sealed record NodeSettingsRequest(string? Title, string? Description, string? Icon, string? Color, string? Link);

/// <summary>A log line sent by a custom application.</summary>
public sealed record LogRequest(string Message, string? Level);

/// <summary>Progress sent by a custom application.</summary>
public sealed record ProgressRequest(double Fraction, string? Message);

/// <summary>A workspace file.</summary>
public sealed record FileDto(long Id, string Path, string ContentId, long Size, string Kind, long? TaskId, DateTime CreatedAt, string Url);

/// <summary>A new description (and optionally title) for a graph node.</summary>
public sealed record NodeDescriptionRequest(string? Description, string? Title);
