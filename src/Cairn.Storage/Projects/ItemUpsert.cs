using System.Data.Common;
using Cairn.Storage.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cairn.Storage.Projects;

/// <summary>
/// The one prepared statement that writes an item row (insert, or replace the row of the same dataset and name),
/// inside the context's current transaction. Used by imports and task outputs (<see cref="ItemWriter"/>) and by
/// restores (<c>RawItemInsert</c>), so the row's shape is written in one place.
/// </summary>
internal sealed class ItemUpsert : IDisposable
{
    private readonly DbCommand _cmd;
    private readonly DbParameter[] _p;
    private readonly long _projectId;
    private readonly long _seq;
    private bool _prepared;

    /// <summary>Prepares the statement for rows of <paramref name="projectId"/> stamped with change counter <paramref name="seq"/>.</summary>
    public ItemUpsert(CatalogDb db, long projectId, long seq)
        : this(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), projectId, seq)
    {
    }

    /// <summary>Prepares the statement on a plain connection, inside <paramref name="tx"/>.</summary>
    public ItemUpsert(DbConnection conn, DbTransaction? tx, long projectId, long seq)
    {
        _projectId = projectId;
        _seq = seq;
        _cmd = conn.CreateCommand();
        _cmd.Transaction = tx;
        _cmd.CommandText =
            "INSERT INTO items (ProjectId, DatasetId, Name, ImageId, ImageSize, Width, Height, AnnotationId, AnnotationJson, LabelCount, ClassList, ChangeSeq) " +
            "VALUES (@p, @d, @n, @img, @size, @w, @h, @ann, @json, @lc, @cl, @seq) " +
            "ON CONFLICT (ProjectId, DatasetId, Name) DO UPDATE SET ImageId = excluded.ImageId, ImageSize = excluded.ImageSize, Width = excluded.Width, Height = excluded.Height, " +
            "AnnotationId = excluded.AnnotationId, AnnotationJson = excluded.AnnotationJson, LabelCount = excluded.LabelCount, ClassList = excluded.ClassList, ChangeSeq = excluded.ChangeSeq";
        string[] names = ["@p", "@d", "@n", "@img", "@size", "@w", "@h", "@ann", "@json", "@lc", "@cl", "@seq"];
        _p = new DbParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            _p[i] = _cmd.CreateParameter();
            _p[i].ParameterName = names[i];
            _cmd.Parameters.Add(_p[i]);
        }
    }

    /// <summary>The transaction the statement runs in (for companion statements).</summary>
    public DbTransaction? Transaction => _cmd.Transaction;

    /// <summary>Writes one row.</summary>
    public void Execute(long datasetId, string name, byte[] imageId, long imageSize, int width, int height, byte[] annotationId, string annotationJson, int labelCount, string classList)
    {
        _p[0].Value = _projectId;
        _p[1].Value = datasetId;
        _p[2].Value = name;
        _p[3].Value = imageId;
        _p[4].Value = imageSize;
        _p[5].Value = width;
        _p[6].Value = height;
        _p[7].Value = annotationId;
        _p[8].Value = annotationJson;
        _p[9].Value = labelCount;
        _p[10].Value = classList;
        _p[11].Value = _seq;
        if (!_prepared)
        {
            // Prepared once the first row's values are set: PostgreSQL needs the parameters' types for it.
            _cmd.Prepare();
            _prepared = true;
        }

        _cmd.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public void Dispose() => _cmd.Dispose();
}
