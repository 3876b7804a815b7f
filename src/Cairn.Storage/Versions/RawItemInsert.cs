using System.Data.Common;
using System.Text;
using Cairn.Storage.Catalog;
using Cairn.Storage.Snapshots;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Storage.Versions;

/// <summary>Writes snapshot entries as working-state items through one prepared upsert (restore's hot path), copies and deletes rows.</summary>
internal sealed class RawItemInsert : IDisposable
{
    private readonly Projects.ItemUpsert _upsert;
    private readonly long _projectId;
    private readonly long _seq;

    public RawItemInsert(CatalogDb db, long projectId, long seq)
    {
        _projectId = projectId;
        _seq = seq;
        _upsert = new Projects.ItemUpsert(db, projectId, seq);

        _conn = db.Database.GetDbConnection();
        _sqlite = _conn is Microsoft.Data.Sqlite.SqliteConnection;
        if (_sqlite)
        {
            // A large page cache for the bulk insert keeps the three item indexes in memory (default is 2 MB).
            using var pragma = _conn.CreateCommand();
            pragma.Transaction = _upsert.Transaction;
            pragma.CommandText = "PRAGMA cache_size = -131072";
            pragma.ExecuteNonQuery();
        }
    }

    private readonly DbConnection _conn;
    private readonly bool _sqlite;
    private Projects.ItemCopy? _copy;

    public void Write(long datasetId, ItemEntry e)
    {
        _copy?.Pause();
        _upsert.Execute(
            datasetId,
            e.Name,
            e.ImageId.Bytes.ToArray(),
            e.ImageSize,
            e.Width,
            e.Height,
            e.AnnotationId.Bytes.ToArray(),
            Encoding.UTF8.GetString(e.AnnotationJson),
            e.LabelCount,
            ClassList(e));
    }

    /// <summary>
    /// Writes a row that cannot replace one (a dataset filled from the snapshot alone): on PostgreSQL by binary COPY
    /// (see <see cref="Projects.ItemCopy"/>), elsewhere as <see cref="Write"/>. Call <see cref="Finish"/> before the
    /// connection runs anything else.
    /// </summary>
    public void WriteNew(long datasetId, ItemEntry e)
    {
        if (_conn is not Npgsql.NpgsqlConnection npgsql)
        {
            Write(datasetId, e);
            return;
        }

        _copy ??= new Projects.ItemCopy(npgsql, _projectId, _seq);
        _copy.Execute(datasetId, e.Name, e.ImageId.Bytes.ToArray(), e.ImageSize, e.Width, e.Height, e.AnnotationId.Bytes.ToArray(), Encoding.UTF8.GetString(e.AnnotationJson), e.LabelCount, ClassList(e));
    }

    /// <summary>Ends a COPY in progress (its rows written in the caller's transaction).</summary>
    public void Finish() => _copy?.Pause();

    /// <summary>Copies a dataset's rows from another project inside the database (no row crosses into .NET); returns the count.</summary>
    public int CopyDataset(long fromProject, long fromDataset, long toDataset)
    {
        _copy?.Pause();
        using var cmd = Catalog.Sql.Command(
            _conn,
            _upsert.Transaction,
            "INSERT INTO items (ProjectId, DatasetId, Name, ImageId, ImageSize, Width, Height, AnnotationId, AnnotationJson, LabelCount, ClassList, ChangeSeq) " +
            "SELECT @p, @to, Name, ImageId, ImageSize, Width, Height, AnnotationId, AnnotationJson, LabelCount, ClassList, @seq FROM items " +
            "WHERE ProjectId = @from AND DatasetId = @fromDs ORDER BY Name",
            ("@p", _projectId),
            ("@to", toDataset),
            ("@seq", _seq),
            ("@from", fromProject),
            ("@fromDs", fromDataset));
        return cmd.ExecuteNonQuery();
    }

    /// <summary>Deletes one item of the project being written.</summary>
    public void Delete(long datasetId, string name)
    {
        _copy?.Pause();
        using var cmd = Catalog.Sql.Command(_conn, _upsert.Transaction, "DELETE FROM items WHERE ProjectId = @p AND DatasetId = @d AND Name = @n", ("@p", _projectId), ("@d", datasetId), ("@n", name));
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _copy?.Dispose();
        _upsert.Dispose();
        if (!_sqlite)
        {
            return;
        }

        using var pragma = _conn.CreateCommand();
        pragma.CommandText = "PRAGMA cache_size = -2000";
        pragma.ExecuteNonQuery();
    }

    /// <summary>"|a|b|" as <see cref="Projects.ItemWriter.ClassList"/> writes it, from the entry's tallies.</summary>
    private static string ClassList(ItemEntry e)
    {
        if (e.Classes.Length == 0)
        {
            return "|";
        }

        var names = e.Classes.Select(t => t.ClassName).Order(StringComparer.Ordinal);
        return "|" + string.Join('|', names) + "|";
    }
}
