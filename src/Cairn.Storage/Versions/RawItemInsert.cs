using System.Data.Common;
using System.Text;
using Cairn.Storage.Catalog;
using Cairn.Storage.Snapshots;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cairn.Storage.Versions;

/// <summary>Writes snapshot entries as working-state items through one prepared upsert (restore's hot path), copies and deletes rows.</summary>
internal sealed class RawItemInsert : IDisposable
{
    private readonly DbCommand _cmd;
    private readonly DbParameter[] _p;
    private readonly long _projectId;
    private readonly long _seq;

    public RawItemInsert(CatalogDb db, long projectId, long seq)
    {
        _projectId = projectId;
        _seq = seq;
        _cmd = db.Database.GetDbConnection().CreateCommand();
        _cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        _cmd.CommandText =
            "INSERT INTO items (ProjectId, DatasetId, Name, ImageId, ImageSize, Width, Height, AnnotationId, AnnotationJson, LabelCount, ClassList, ChangeSeq) " +
            "VALUES ($p, $d, $n, $img, $size, $w, $h, $ann, $json, $lc, $cl, $seq) " +
            "ON CONFLICT (ProjectId, DatasetId, Name) DO UPDATE SET ImageId = excluded.ImageId, ImageSize = excluded.ImageSize, Width = excluded.Width, Height = excluded.Height, " +
            "AnnotationId = excluded.AnnotationId, AnnotationJson = excluded.AnnotationJson, LabelCount = excluded.LabelCount, ClassList = excluded.ClassList, ChangeSeq = excluded.ChangeSeq";
        string[] names = ["$p", "$d", "$n", "$img", "$size", "$w", "$h", "$ann", "$json", "$lc", "$cl", "$seq"];
        _p = new DbParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            _p[i] = _cmd.CreateParameter();
            _p[i].ParameterName = names[i];
            _cmd.Parameters.Add(_p[i]);
        }

        _cmd.Prepare();

        // A large page cache for the bulk insert keeps the three item indexes in memory (default is 2 MB).
        using var pragma = db.Database.GetDbConnection().CreateCommand();
        pragma.Transaction = _cmd.Transaction;
        pragma.CommandText = "PRAGMA cache_size = -131072";
        pragma.ExecuteNonQuery();
        _conn = db.Database.GetDbConnection();
    }

    private readonly DbConnection _conn;

    public void Write(long datasetId, ItemEntry e)
    {
        _p[0].Value = _projectId;
        _p[1].Value = datasetId;
        _p[2].Value = e.Name;
        _p[3].Value = e.ImageId.Bytes.ToArray();
        _p[4].Value = e.ImageSize;
        _p[5].Value = e.Width;
        _p[6].Value = e.Height;
        _p[7].Value = e.AnnotationId.Bytes.ToArray();
        _p[8].Value = Encoding.UTF8.GetString(e.AnnotationJson);
        _p[9].Value = e.LabelCount;
        _p[10].Value = ClassList(e);
        _p[11].Value = _seq;
        _cmd.ExecuteNonQuery();
    }

    /// <summary>Copies a dataset's rows from another project inside the database (no row crosses into .NET); returns the count.</summary>
    public int CopyDataset(long fromProject, long fromDataset, long toDataset)
    {
        using var cmd = _conn.CreateCommand();
        cmd.Transaction = _cmd.Transaction;
        cmd.CommandText =
            "INSERT INTO items (ProjectId, DatasetId, Name, ImageId, ImageSize, Width, Height, AnnotationId, AnnotationJson, LabelCount, ClassList, ChangeSeq) " +
            "SELECT $p, $to, Name, ImageId, ImageSize, Width, Height, AnnotationId, AnnotationJson, LabelCount, ClassList, $seq FROM items " +
            "WHERE ProjectId = $from AND DatasetId = $fromDs ORDER BY Name";
        Add(cmd, "$p", _projectId);
        Add(cmd, "$to", toDataset);
        Add(cmd, "$seq", _seq);
        Add(cmd, "$from", fromProject);
        Add(cmd, "$fromDs", fromDataset);
        return cmd.ExecuteNonQuery();
    }

    /// <summary>Deletes one item of the project being written.</summary>
    public void Delete(long datasetId, string name)
    {
        using var cmd = _conn.CreateCommand();
        cmd.Transaction = _cmd.Transaction;
        cmd.CommandText = "DELETE FROM items WHERE ProjectId = $p AND DatasetId = $d AND Name = $n";
        Add(cmd, "$p", _projectId);
        Add(cmd, "$d", datasetId);
        Add(cmd, "$n", name);
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
        _cmd.Dispose();
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
