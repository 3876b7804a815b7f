using Npgsql;
using NpgsqlTypes;

namespace Cairn.Storage.Projects;

/// <summary>
/// Writes the items of a new project on PostgreSQL with binary COPY instead of one upsert per row: a new project has
/// nothing to conflict with, and a round trip per row made the catalog the slowest part of an import there (0.38 s for
/// 5,000 rows). The rows are the ones <see cref="ItemUpsert"/> writes. While a COPY is open the connection runs nothing
/// else: <see cref="Pause"/> ends it (a new dataset row goes in between), the next row starts another.
/// </summary>
internal sealed class ItemCopy(NpgsqlConnection conn, long projectId, long seq) : IDisposable
{
    private NpgsqlBinaryImporter? _importer;

    /// <summary>Writes one row.</summary>
    public void Execute(long datasetId, string name, byte[] imageId, long imageSize, int width, int height, byte[] annotationId, string annotationJson, int labelCount, string classList)
    {
        _importer ??= conn.BeginBinaryImport(
            "COPY items (projectid, datasetid, name, imageid, imagesize, width, height, annotationid, annotationjson, labelcount, classlist, changeseq) FROM STDIN (FORMAT BINARY)");
        _importer.StartRow();
        _importer.Write(projectId, NpgsqlDbType.Bigint);
        _importer.Write(datasetId, NpgsqlDbType.Bigint);
        _importer.Write(name, NpgsqlDbType.Text);
        _importer.Write(imageId, NpgsqlDbType.Bytea);
        _importer.Write(imageSize, NpgsqlDbType.Bigint);
        _importer.Write(width, NpgsqlDbType.Integer);
        _importer.Write(height, NpgsqlDbType.Integer);
        _importer.Write(annotationId, NpgsqlDbType.Bytea);
        _importer.Write(annotationJson, NpgsqlDbType.Text);
        _importer.Write(labelCount, NpgsqlDbType.Integer);
        _importer.Write(classList, NpgsqlDbType.Text);
        _importer.Write(seq, NpgsqlDbType.Bigint);
    }

    /// <summary>Ends the current COPY, its rows written (inside the caller's transaction).</summary>
    public void Pause()
    {
        if (_importer is null)
        {
            return;
        }

        _importer.Complete();
        _importer.Dispose();
        _importer = null;
    }

    /// <summary>Cancels a COPY that was not ended by <see cref="Pause"/> (the import failed).</summary>
    public void Dispose()
    {
        _importer?.Dispose();
        _importer = null;
    }
}
