using System.Data.Common;
using System.Globalization;
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
    private readonly DbConnection _conn;
    private readonly DbTransaction? _tx;
    private readonly long _projectId;
    private readonly Dictionary<string, long> _datasets = new(StringComparer.Ordinal);
    private readonly ItemUpsert _upsert;

    /// <summary>Creates a writer for <paramref name="projectId"/>; every item is stamped with change counter <paramref name="seq"/>.</summary>
    public ItemWriter(CatalogDb db, long projectId, long seq)
        : this(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), projectId, seq)
    {
    }

    /// <summary>Creates a writer on a plain connection, inside <paramref name="tx"/>.</summary>
    public ItemWriter(DbConnection conn, DbTransaction? tx, long projectId, long seq)
    {
        _conn = conn;
        _tx = tx;
        _projectId = projectId;
        using (var cmd = Sql.Command(conn, tx, "SELECT Path, Id FROM datasets WHERE ProjectId = @p", ("@p", projectId)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                _datasets[r.GetString(0)] = r.GetInt64(1);
            }
        }

        _upsert = new ItemUpsert(conn, tx, projectId, seq);
    }

    /// <summary>Number of items written.</summary>
    public int Count { get; private set; }

    /// <summary>Adds or replaces one item.</summary>
    public void Write(NewItem item)
    {
        var datasetId = DatasetId(item.Dataset);
        var json = AnnotationJson.ToUtf8(item.Annotation);
        _upsert.Execute(
            datasetId,
            item.Name,
            item.ImageId.Bytes.ToArray(),
            item.ImageSize,
            item.Annotation.Width,
            item.Annotation.Height,
            ContentId.Of(json).Bytes.ToArray(),
            Encoding.UTF8.GetString(json),
            item.Annotation.Labels.Count,
            ClassList(item.Annotation));
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

        id = Convert.ToInt64(Sql.Scalar(_conn, _tx, "INSERT INTO datasets (ProjectId, Path) VALUES (@p, @path) RETURNING Id", ("@p", _projectId), ("@path", path)), CultureInfo.InvariantCulture);
        _datasets[path] = id;
        return id;
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
    public void Dispose() => _upsert.Dispose();
}
