using System.Data.Common;
using System.Text;
using Cairn.Storage.Catalog;
using Cairn.Storage.Snapshots;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cairn.Storage.Versions;

/// <summary>Inserts snapshot entries as working-state items through one prepared statement (restore's hot path).</summary>
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
            "VALUES ($p, $d, $n, $img, $size, $w, $h, $ann, $json, $lc, $cl, $seq)";
        string[] names = ["$p", "$d", "$n", "$img", "$size", "$w", "$h", "$ann", "$json", "$lc", "$cl", "$seq"];
        _p = new DbParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            _p[i] = _cmd.CreateParameter();
            _p[i].ParameterName = names[i];
            _cmd.Parameters.Add(_p[i]);
        }

        _cmd.Prepare();
    }

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

    public void Dispose() => _cmd.Dispose();

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
