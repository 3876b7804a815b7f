namespace Cairn.Client;

/// <summary>A task's state as the server reports it.</summary>
public sealed record CairnTaskInfo(long Id, string Kind, string Title, string? Description, string Status, double Progress, string? ProgressMessage, string? Error, bool CancelRequested);
