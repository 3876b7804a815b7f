namespace Cairn.Tasks.Graph;

/// <summary>An edge: "input" (into a task), "output" (out of a task), "version" (project to its version) or "contains" (folder to file).</summary>
public sealed record GraphEdge(string From, string To, string Kind);
