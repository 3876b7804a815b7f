using Cairn.Storage.Catalog;

namespace Cairn.Tasks;

/// <summary>Hears task lifecycle events (for lineage emitters); must not throw and must not block for long.</summary>
public interface ITaskListener
{
    /// <summary>The task started running; <paramref name="relations"/> are those known so far.</summary>
    Task StartedAsync(TaskRow task, IReadOnlyList<TaskRelationRow> relations, CancellationToken ct);

    /// <summary>The task reached a final status, with all its inputs and outputs.</summary>
    Task FinishedAsync(TaskRow task, IReadOnlyList<TaskRelationRow> relations, CancellationToken ct);
}
