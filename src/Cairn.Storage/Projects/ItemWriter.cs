using System.Data.Common;
using System.Text;
using Cairn.Core.Ids;
using Cairn.Core.Model;
using Cairn.Core.Serialization;
using Cairn.Storage.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cairn.Storage.Projects;

/// <summary>
/// Writes items into a project's working state through one prepared statement inside the caller's
/// transaction: the import hot path, where EF change tracking would cost more than the hashing.
/// </summary>
public sealed class ItemWriter : IDisposable
{
    private readonly CatalogDb _db;
    private readonly long _projectId;
    private readonly long _seq;
    private readonly Dictionary<string, long> _datasets = new(StringComparer.Ordinal);
    private readonly DbCommand _insert;
    private readonly DbParameter[] _p;

    /// <summary>Creates a writer for <paramref name="projectId"/>; every item is stamped with change counter <paramref name="seq"/>.</summary>
    public ItemWriter(CatalogDb db, long projectId, long seq)
    {
        _db = db;
        _projectId = projectId;
        _seq = seq;
        foreach (var d in db.Datasets.AsNoTracking().Where(d => d.ProjectId == projectId))
        {
            _datasets[d.Path] = d.Id;
        }

        var conn = db.Database.GetDbConnection();
        _insert = conn.CreateCommand();
        _insert.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        _insert.CommandText =
            "INSERT INTO items (ProjectId, DatasetId, Name, ImageId, ImageSize, Width, Height, AnnotationId, AnnotationJson, LabelCount, ClassList, ChangeSeq) " +
            "VALUES ($p, $d, $n, $img, $size, $w, $h, $ann, $json, $lc, $cl, $seq) " +
            "ON CONFLICT (ProjectId, DatasetId, Name) DO UPDATE SET ImageId = excluded.ImageId, ImageSize = excluded.ImageSize, Width = excluded.Width, Height = excluded.Height, " +
            "AnnotationId = excluded.AnnotationId, AnnotationJson = excluded.AnnotationJson, LabelCount = excluded.LabelCount, ClassList = excluded.ClassList, ChangeSeq = excluded.ChangeSeq";
        string[] names = ["$p", "$d", "$n", "$img", "$size", "$w", "$h", "$ann", "$json", "$lc", "$cl", "$seq"];
        _p = new DbParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            _p[i] = _insert.CreateParameter();
            _p[i].ParameterName = names[i];
            _insert.Parameters.Add(_p[i]);
        }

        _insert.Prepare();
    }

    /// <summary>Number of items written.</summary>
    public int Count { get; private set; }

    /// <summary>Adds or replaces one item.</summary>
    public void Write(NewItem item)
    {
        var datasetId = DatasetId(item.Dataset);
        var json = AnnotationJson.ToUtf8(item.Annotation);
        _p[0].Value = _projectId;
        _p[1].Value = datasetId;
        _p[2].Value = item.Name;
        _p[3].Value = item.ImageId.Bytes.ToArray();
        _p[4].Value = item.ImageSize;
        _p[5].Value = item.Annotation.Width;
        _p[6].Value = item.Annotation.Height;
        _p[7].Value = ContentId.Of(json).Bytes.ToArray();
        _p[8].Value = Encoding.UTF8.GetString(json);
        _p[9].Value = item.Annotation.Labels.Count;
        _p[10].Value = ClassList(item.Annotation);
        _p[11].Value = _seq;
        _insert.ExecuteNonQuery();
        Count++;
    }

    /// <summary>The id of a dataset path, creating the dataset (and nothing else) when new.</summary>
    public long DatasetId(string path)
    {
        path = DatasetPaths.Normalize(path);
        if (_datasets.TryGetValue(path, out var id))
        {
            return id;
        }

        var row = new DatasetRow { ProjectId = _projectId, Path = path };
        _db.Datasets.Add(row);
        _db.SaveChanges();
        _datasets[path] = row.Id;
        return row.Id;
    }

    /// <summary>"|a|b|": the distinct class names of an annotation, sorted, for LIKE filters.</summary>
    public static string ClassList(Annotation a)
    {
        if (a.Labels.Count == 0)
        {
            return "|";
        }

        var names = a.Labels.Select(l => l.ClassName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return "|" + string.Join('|', names) + "|";
    }

    /// <inheritdoc/>
    public void Dispose() => _insert.Dispose();
}
