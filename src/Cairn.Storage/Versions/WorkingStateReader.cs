using System.Data;
using System.Data.Common;
using System.Text;
using Cairn.Core.Ids;
using Cairn.Storage.Snapshots;
using Microsoft.Data.Sqlite;

namespace Cairn.Storage.Versions;

/// <summary>
/// Reads a project's working state from the catalog inside one read transaction, so the change counter, the items
/// and the tombstones it returns belong to the same moment even while writers go on.
/// </summary>
internal sealed class WorkingStateReader : IDisposable
{
    private const string ItemColumns = "Name, ImageId, ImageSize, Width, Height, AnnotationId, AnnotationJson, LabelCount, DatasetId";
    private readonly DbConnection _conn;
    private readonly DbTransaction _tx;

    public WorkingStateReader(DbConnection conn)
    {
        _conn = conn;

        // Deferred: a reader, not a writer. Under WAL it sees one consistent snapshot from its first read on.
        _tx = conn is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: true) : conn.BeginTransaction(IsolationLevel.RepeatableRead);
    }

    public (long ChangeSeq, string MetaJson, string Name)? Project(long projectId)
    {
        using var cmd = Command("SELECT ChangeSeq, MetaJson, Name FROM projects WHERE Id = @p", ("@p", projectId));
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetInt64(0), r.GetString(1), r.GetString(2)) : null;
    }

    public (long Id, int Number, long ChangeSeq, byte[] RootId, string StatsJson)? LatestVersion(long projectId)
    {
        using var cmd = Command("SELECT Id, Number, ChangeSeq, RootId, StatsJson FROM versions WHERE ProjectId = @p ORDER BY Number DESC LIMIT 1", ("@p", projectId));
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetInt64(0), r.GetInt32(1), r.GetInt64(2), (byte[])r.GetValue(3), r.GetString(4)) : null;
    }

    public Dictionary<long, string> Datasets(long projectId)
    {
        using var cmd = Command("SELECT Id, Path FROM datasets WHERE ProjectId = @p", ("@p", projectId));
        using var r = cmd.ExecuteReader();
        var result = new Dictionary<long, string>();
        while (r.Read())
        {
            result[r.GetInt64(0)] = r.GetString(1);
        }

        return result;
    }

    /// <summary>A dataset's items in name order (the unique index gives byte order: SQLite compares TEXT as UTF-8 bytes).</summary>
    public IEnumerable<ItemEntry> DatasetItems(long projectId, long datasetId)
    {
        using var cmd = Command($"SELECT {ItemColumns} FROM items WHERE ProjectId = @p AND DatasetId = @d ORDER BY Name", ("@p", projectId), ("@d", datasetId));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            yield return ReadEntry(r);
        }
    }

    /// <summary>Items changed after <paramref name="seq"/>, with their dataset id.</summary>
    public IEnumerable<(long DatasetId, ItemEntry Entry)> ChangedItems(long projectId, long seq)
    {
        using var cmd = Command($"SELECT {ItemColumns} FROM items WHERE ProjectId = @p AND ChangeSeq > @s", ("@p", projectId), ("@s", seq));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            yield return (r.GetInt64(8), ReadEntry(r));
        }
    }

    /// <summary>Items removed after <paramref name="seq"/>.</summary>
    public IEnumerable<(string DatasetPath, string Name)> Removed(long projectId, long seq)
    {
        using var cmd = Command("SELECT DatasetPath, Name FROM removed_items WHERE ProjectId = @p AND ChangeSeq > @s", ("@p", projectId), ("@s", seq));
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            yield return (r.GetString(0), r.GetString(1));
        }
    }

    public void Dispose()
    {
        _tx.Rollback();
        _tx.Dispose();
    }

    private static ItemEntry ReadEntry(DbDataReader r)
    {
        var json = Encoding.UTF8.GetBytes(r.GetString(6));
        return new ItemEntry(
            r.GetString(0),
            ContentId.FromBytes((byte[])r.GetValue(1)),
            r.GetInt64(2),
            r.GetInt32(3),
            r.GetInt32(4),
            ContentId.FromBytes((byte[])r.GetValue(5)),
            r.GetInt32(7),
            AnnotationTally.Count(json),
            json);
    }

    private DbCommand Command(string sql, params (string Name, object? Value)[] parameters) => Catalog.Sql.Command(_conn, _tx, sql, parameters);
}
