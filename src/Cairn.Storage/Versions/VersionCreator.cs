using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Cairn.Core.Ids;
using Cairn.Storage.Catalog;

namespace Cairn.Storage.Versions;

/// <summary>
/// Makes versions of projects; the cost follows the change since the last version. Snapshot nodes are written before
/// the catalog row that references them, so a version row is visible only when its whole tree exists.
/// </summary>
public sealed class VersionCreator(CairnStore store)
{
    private const int MaxAttempts = 20;

    /// <summary>
    /// Makes version N+1 of a project, or returns version N unchanged when the working state has not changed since it.
    /// Null when the project does not exist. Safe to call concurrently: racing creates yield distinct numbers or one version.
    /// </summary>
    public CreateVersionResult? Create(long projectId, string? title = null, string? description = null, string? author = null, long? createdByTaskId = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var built = WorkingTree.Build(store, projectId, ct);
            if (built is null)
            {
                return null;
            }

            if (built.Unchanged)
            {
                return new CreateVersionResult(new VersionBrowser(store).Get(built.BaseVersionId!.Value)!, false, 0, clock.ElapsedMilliseconds);
            }

            // Plain SQL (see Sql): the version row is the only catalog write, and EF's start-up would dominate a CLI create.
            using var conn = store.OpenConnection();
            using var tx = conn.BeginTransaction();
            var latest = Sql.One(conn, tx, Sql.ReadVersion, $"SELECT {Sql.VersionColumns} FROM versions WHERE ProjectId = @p ORDER BY Number DESC LIMIT 1", ("@p", projectId));
            if (latest?.Id != built.BaseVersionId)
            {
                if (latest is not null && latest.ChangeSeq == built.ChangeSeq)
                {
                    // A concurrent create took the same state first: that is the version.
                    return new CreateVersionResult(VersionSummary.From(latest), false, built.NodesWritten, clock.ElapsedMilliseconds);
                }

                if (attempt >= MaxAttempts)
                {
                    throw new InvalidOperationException($"Project {projectId}: version create lost the race {attempt} times in a row; try again.");
                }

                continue;
            }

            var row = new VersionRow
            {
                ProjectId = projectId,
                Number = (latest?.Number ?? 0) + 1,
                Title = title,
                Description = description,
                Author = author,
                CreatedAt = store.UtcNow,
                RootId = built.RootId.Bytes.ToArray(),
                ChangeSeq = built.ChangeSeq,
                ItemCount = built.Stats.Items,
                LabelCount = built.Stats.Labels,
                TotalBytes = built.Stats.TotalBytes,
                NewBytes = built.NewBytes,
                StatsJson = built.Stats.ToJson(),
                CreatedByTaskId = createdByTaskId,
            };
            try
            {
                row.Id = Convert.ToInt64(
                    Sql.Scalar(
                        conn,
                        tx,
                        "INSERT INTO versions (ProjectId, Number, Title, Description, Author, CreatedAt, RootId, ChangeSeq, ItemCount, LabelCount, TotalBytes, NewBytes, StatsJson, CreatedByTaskId) " +
                        "VALUES (@p, @n, @t, @d, @a, @c, @r, @s, @ic, @lc, @tb, @nb, @j, @task) RETURNING Id",
                        ("@p", row.ProjectId),
                        ("@n", row.Number),
                        ("@t", row.Title),
                        ("@d", row.Description),
                        ("@a", row.Author),
                        ("@c", row.CreatedAt),
                        ("@r", row.RootId),
                        ("@s", row.ChangeSeq),
                        ("@ic", row.ItemCount),
                        ("@lc", row.LabelCount),
                        ("@tb", row.TotalBytes),
                        ("@nb", row.NewBytes),
                        ("@j", row.StatsJson),
                        ("@task", row.CreatedByTaskId)),
                    CultureInfo.InvariantCulture);
                tx.Commit();
            }
            catch (DbException) when (attempt < MaxAttempts)
            {
                // Another process inserted this number between our read and write (PostgreSQL); build again on top of it.
                continue;
            }

            return new CreateVersionResult(VersionSummary.From(row), true, built.NodesWritten, clock.ElapsedMilliseconds);
        }
    }

    /// <summary>
    /// The snapshot of a project's working state now: the latest version's root when nothing changed since it,
    /// otherwise a tree patched from it (its nodes are written; <c>gc</c> reclaims them if no version keeps them).
    /// </summary>
    public (ContentId RootId, VersionStats Stats)? WorkingSnapshot(long projectId, CancellationToken ct = default)
    {
        var built = WorkingTree.Build(store, projectId, ct);
        if (built is null)
        {
            return null;
        }

        if (built.Unchanged)
        {
            var v = new VersionBrowser(store).Get(built.BaseVersionId!.Value)!;
            return (v.RootId, v.Stats);
        }

        return (built.RootId, built.Stats);
    }
}
