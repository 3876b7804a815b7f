using Cairn.Core.Ids;
using Cairn.Storage;
using Cairn.Storage.Catalog;

namespace Cairn.Operations.Files;

/// <summary>The workspace file store: artefacts (reports, metrics, checkpoints) kept as objects with a path in the catalog.</summary>
public sealed class FileService(CairnStore store)
{
    /// <summary>Stores bytes under a workspace path; a path that exists gets a numbered suffix so files are never overwritten.</summary>
    public FileRow Add(string path, ReadOnlySpan<byte> content, string kind, long? taskId = null, long? workspaceId = null)
    {
        var put = store.Objects.Put(content);
        return Register(path, put.Id, put.Size, kind, taskId, workspaceId);
    }

    /// <summary>Stores a stream under a workspace path.</summary>
    public FileRow Add(string path, Stream content, string kind, long? taskId = null, long? workspaceId = null, CancellationToken ct = default)
    {
        var put = store.Objects.PutStream(content, ct);
        return Register(path, put.Id, put.Size, kind, taskId, workspaceId);
    }

    /// <summary>Stores a file from disk under a workspace path.</summary>
    public FileRow AddFile(string path, string sourceFile, string kind, long? taskId = null, long? workspaceId = null)
    {
        var put = store.Objects.PutFile(sourceFile);
        return Register(path, put.Id, put.Size, kind, taskId, workspaceId);
    }

    /// <summary>A file row by id.</summary>
    public FileRow? Get(long id)
    {
        using var db = store.Catalog();
        return db.Files.FirstOrDefault(f => f.Id == id);
    }

    /// <summary>A file's verified content.</summary>
    public byte[] Read(FileRow file) => store.Objects.Get(ContentId.FromBytes(file.ContentId));

    private FileRow Register(string path, ContentId id, long size, string kind, long? taskId, long? workspaceId)
    {
        using var db = store.Catalog();
        var ws = workspaceId ?? db.Workspaces.OrderBy(w => w.Id).Select(w => w.Id).First();
        var unique = path;
        for (var n = 2; db.Files.Any(f => f.WorkspaceId == ws && f.Path == unique); n++)
        {
            var ext = Path.GetExtension(path);
            unique = path[..^ext.Length] + $" ({n})" + ext;
        }

        var row = new FileRow { WorkspaceId = ws, Path = unique, ContentId = id.Bytes.ToArray(), Size = size, Kind = kind, TaskId = taskId, CreatedAt = store.UtcNow };
        db.Files.Add(row);
        db.SaveChanges();
        return row;
    }
}
