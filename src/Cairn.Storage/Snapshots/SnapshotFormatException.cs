using Cairn.Core.Ids;

namespace Cairn.Storage.Snapshots;

/// <summary>A snapshot node whose bytes do not follow the format (wrong magic, unknown version, truncated body).</summary>
public sealed class SnapshotFormatException(ContentId id, string problem)
    : Exception($"Snapshot node {id}: {problem}")
{
    /// <summary>The node's id.</summary>
    public ContentId Id { get; } = id;
}
