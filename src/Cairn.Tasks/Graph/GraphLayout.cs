namespace Cairn.Tasks.Graph;

/// <summary>A laid-out graph: node centres (same order as the graph's nodes), edge polylines, total size.</summary>
public sealed record GraphLayout(IReadOnlyList<(double X, double Y)> Nodes, IReadOnlyList<IReadOnlyList<(double X, double Y)>> Edges, double Width, double Height);
