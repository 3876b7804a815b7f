using Cairn.Storage.Catalog;

namespace Cairn.Storage.Tasks;

/// <summary>What the workflow graph is drawn from: every task with its relations, and the catalog rows its nodes show.</summary>
public sealed record WorkflowRows(
    IReadOnlyList<TaskRow> Tasks,
    IReadOnlyList<TaskRelationRow> Relations,
    IReadOnlyDictionary<long, ProjectRow> Projects,
    IReadOnlyDictionary<long, WorkflowRows.Version> Versions,
    IReadOnlyDictionary<long, WorkflowRows.File> Files,
    IReadOnlyDictionary<long, WorkflowRows.Model> Models,
    IReadOnlyDictionary<long, WorkflowRows.Evaluation> Evaluations)
{
    /// <summary>A version as a node shows it.</summary>
    public sealed record Version(long Id, long ProjectId, int Number, string? Title, string? Description, string? Author = null);

    /// <summary>A workspace file as a node shows it.</summary>
    public sealed record File(long Id, string Path, long Size, string Kind);

    /// <summary>A model as a node shows it.</summary>
    public sealed record Model(long Id, string Name, string? Description);

    /// <summary>An evaluation as a node shows it.</summary>
    public sealed record Evaluation(long Id, string Title, double MapAll);
}
