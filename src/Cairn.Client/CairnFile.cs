namespace Cairn.Client;

/// <summary>A stored workspace file: id, path, content id, size, kind (checkpoint, report, metrics, log, other), download URL.</summary>
public sealed record CairnFile(long Id, string Path, string ContentId, long Size, string Kind, long? TaskId, DateTime CreatedAt, string Url);
