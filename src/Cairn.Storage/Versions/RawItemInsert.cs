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

    public void Write(long datasetId, ItemEntry e)
    {
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

    /// <summary>Copies a dataset's rows from another project inside the database (no row crosses into .NET); returns the count.</summary>
    public int CopyDataset(long fromProject, long fromDataset, long toDataset)
    {
        using var cmd = _conn.CreateCommand();
        cmd.Transaction = _upsert.Transaction;
        cmd.CommandText =
            "INSERT INTO items (ProjectId, DatasetId, Name, ImageId, ImageSize, Width, Height, AnnotationId, AnnotationJson, LabelCount, ClassList, ChangeSeq) " +
            "SELECT @p, @to, Name, ImageId, ImageSize, Width, Height, AnnotationId, AnnotationJson, LabelCount, ClassList, @seq FROM items " +
            "WHERE ProjectId = @from AND DatasetId = @fromDs ORDER BY Name";
        Add(cmd, "@p", _projectId);
        Add(cmd, "@to", toDataset);
        Add(cmd, "@seq", _seq);
        Add(cmd, "@from", fromProject);
        Add(cmd, "@fromDs", fromDataset);
        return cmd.ExecuteNonQuery();
    }

    /// <summary>Deletes one item of the project being written.</summary>
    public void Delete(long datasetId, string name)
    {
        using var cmd = _conn.CreateCommand();
        cmd.Transaction = _upsert.Transaction;
        cmd.CommandText = "DELETE FROM items WHERE ProjectId = @p AND DatasetId = @d AND Name = @n";
        Add(cmd, "@p", _projectId);
        Add(cmd, "@d", datasetId);
        Add(cmd, "@n", name);
        cmd.ExecuteNonQuery();
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    public void Dispose()
    {
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
