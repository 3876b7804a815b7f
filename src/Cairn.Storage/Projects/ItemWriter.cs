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
/// Writes items into a project's working state inside the caller's transaction, through one prepared upsert (or, for a
/// new project on PostgreSQL, binary COPY): the import hot path, where EF change tracking would cost more than the hashing.
/// </summary>
public sealed class ItemWriter : IDisposable
{
    private readonly DbConnection _conn;
    private readonly DbTransaction? _tx;
    private readonly long _projectId;
    private readonly Dictionary<string, long> _datasets = new(StringComparer.Ordinal);
    private readonly long _seq;
    private readonly ItemCopy? _copy;
    private readonly HashSet<(long, string)>? _copied;
    private ItemUpsert? _upsert;

    /// <summary>Creates a writer for <paramref name="projectId"/>; every item is stamped with change counter <paramref name="seq"/>.</summary>
    public ItemWriter(CatalogDb db, long projectId, long seq)
        : this(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), projectId, seq)
    {
    }

    /// <summary>
    /// Creates a writer on a plain connection, inside <paramref name="tx"/>. With <paramref name="newProject"/> (no rows
    /// to replace) a PostgreSQL catalog takes the rows by COPY; call <see cref="Finish"/> before committing.
    /// </summary>
    public ItemWriter(DbConnection conn, DbTransaction? tx, long projectId, long seq, bool newProject = false)
    {
        _conn = conn;
        _tx = tx;
        _projectId = projectId;
        _seq = seq;
        using (var cmd = Sql.Command(conn, tx, "SELECT Path, Id FROM datasets WHERE ProjectId = @p", ("@p", projectId)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                _datasets[r.GetString(0)] = r.GetInt64(1);
            }
        }

        if (newProject && conn is Npgsql.NpgsqlConnection npgsql)
        {
            _copy = new ItemCopy(npgsql, projectId, seq);
            _copied = [];
        }
    }

    /// <summary>Number of items written.</summary>
    public int Count { get; private set; }

    /// <summary>Adds or replaces one item.</summary>
    public void Write(NewItem item)
    {
        var datasetId = DatasetId(item.Dataset);
        var json = AnnotationJson.ToUtf8(item.Annotation);
        var imageId = item.ImageId.Bytes.ToArray();
        var annotationId = ContentId.Of(json).Bytes.ToArray();
        var text = Encoding.UTF8.GetString(json);
        var a = item.Annotation;
        if (_copy is not null && _copied!.Add((datasetId, item.Name)))
        {
            _copy.Execute(datasetId, item.Name, imageId, item.ImageSize, a.Width, a.Height, annotationId, text, a.Labels.Count, ClassList(a));
        }
        else
        {
            // The prepared upsert; under a COPY, a name given twice, which replaces the first as the upsert does (the COPY
            // cannot), goes on its own.
            _copy?.Pause();
            _upsert ??= new ItemUpsert(_conn, _tx, _projectId, _seq);
            _upsert.Execute(datasetId, item.Name, imageId, item.ImageSize, a.Width, a.Height, annotationId, text, a.Labels.Count, ClassList(a));
        }

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

        _copy?.Pause(); // the connection runs nothing else while a COPY is open
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

    /// <summary>Ends the writes (a COPY in progress is completed); the caller then commits.</summary>
    public void Finish() => _copy?.Pause();

    /// <inheritdoc/>
    public void Dispose()
    {
        _upsert?.Dispose();
        _copy?.Dispose();
    }
}
