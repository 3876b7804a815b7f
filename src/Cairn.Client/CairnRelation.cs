namespace Cairn.Client;

/// <summary>A recorded input or output of a task.</summary>
public sealed record CairnRelation(long Id, string Direction, string Kind, long? RefId, string? Path, string? Title, DateTime CreatedAt);
