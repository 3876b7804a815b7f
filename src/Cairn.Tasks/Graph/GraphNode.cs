namespace Cairn.Tasks.Graph;

/// <summary>
/// A node of the workflow graph. <paramref name="Parent"/> is the folder node a file folds into (shown when the folder is expanded);
/// <paramref name="Color"/> is the status colour of a task or the kind colour of other nodes; <paramref name="Author"/> is who
/// started a task or made a version.
/// </summary>
public sealed record GraphNode(
    string Id,
    string Kind,
    string Title,
    string? Description,
    string Icon,
    string Color,
    string? Status,
    string? Link,
    string? Parent = null,
    long? RefId = null,
    string? Subtitle = null,
    double? Progress = null,
    string? Author = null);
