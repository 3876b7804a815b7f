namespace Cairn.Core.Model;

/// <summary>Node names and skeleton edges (0-based node indices) of a keypoint class.</summary>
public sealed record KeypointTemplate(IReadOnlyList<string> Nodes, IReadOnlyList<KeypointEdge> Edges)
{
    /// <inheritdoc/>
    public bool Equals(KeypointTemplate? other) =>
        other is not null && Nodes.SequenceEqual(other.Nodes) && Edges.SequenceEqual(other.Edges);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Nodes.Count, Edges.Count);
}

/// <summary>An edge between two keypoint nodes (0-based).</summary>
public readonly record struct KeypointEdge(int From, int To);
