namespace Cairn.Tasks.Graph;

/// <summary>A workflow graph: <c>{"nodes": [...], "edges": [...]}</c>.</summary>
public sealed record WorkflowGraph(IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges)
{
    /// <summary>The graph without folded nodes (files inside a folder) and their edges, as exports draw it.</summary>
    public WorkflowGraph Folded()
    {
        var keep = Nodes.Where(n => n.Parent is null).ToList();
        var ids = keep.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        return new WorkflowGraph(keep, Edges.Where(e => ids.Contains(e.From) && ids.Contains(e.To)).ToList());
    }
}
