using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Graph;

/// <summary>The scopes of a graph request (workspace, project, task, focus node), with depth and kind filters: one rule for the API and `cairn graph`.</summary>
public static class GraphScope
{
    /// <summary>Applies the query's scope and filters; null with a message when they are invalid.</summary>
    public static WorkflowGraph? Select(GraphBuilder b, long? project, long? task, string? focus, int? depth, string? kinds, out string? error)
    {
        error = null;
        var d = depth is > 0 ? depth.Value : int.MaxValue;
        WorkflowGraph g;
        if (project is { } p)
        {
            g = b.Project(p, d);
        }
        else if (task is { } t)
        {
            g = b.Task(t, depth ?? 2);
        }
        else if (!string.IsNullOrEmpty(focus))
        {
            g = GraphBuilder.Around(b.Workspace(), [focus], depth ?? 2);
        }
        else
        {
            g = b.Workspace();
        }

        if (!string.IsNullOrEmpty(kinds))
        {
            var set = kinds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            var unknown = set.Where(k => !NodeKinds.IsKnown(k)).ToList();
            if (unknown.Count > 0)
            {
                error = $"kinds: unknown {string.Join(", ", unknown)}; expected some of {string.Join(", ", NodeKinds.All)}";
                return null;
            }

            g = GraphBuilder.OfKinds(g, set);
        }

        return g;
    }
}
