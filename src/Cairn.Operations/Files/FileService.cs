using Cairn.Core.Ids;
using Cairn.Storage;
using Cairn.Storage.Catalog;
using Cairn.Storage.Files;

namespace Cairn.Operations.Files;

/// <summary>The workspace file store: artefacts (reports, metrics, checkpoints) kept as objects with a path in the catalog.</summary>
public sealed class FileService(CairnStore store)
{
    private readonly FileRecords records = new(store);

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
    public FileRow? Get(long id) => records.Get(id);

    /// <summary>Files by path (of one task when <paramref name="taskId"/> is given), at most <paramref name="take"/>.</summary>
    public IReadOnlyList<FileRow> List(long? taskId = null, int take = int.MaxValue) => records.List(taskId, take);

    /// <inheritdoc cref="FileRecords.Newest"/>
    public FileRow? Newest(string folder, string kind) => records.Newest(folder, kind);

    /// <summary>A file's verified content.</summary>
    public byte[] Read(FileRow file) => store.Objects.Get(ContentId.FromBytes(file.ContentId));

    /// <summary>Opens a file's content for streaming, verified as it is read.</summary>
    public Task<Stream> OpenReadAsync(FileRow file, CancellationToken ct = default) => store.Objects.OpenReadAsync(ContentId.FromBytes(file.ContentId), ct);

    private FileRow Register(string path, ContentId id, long size, string kind, long? taskId, long? workspaceId) => records.Add(path, id, size, kind, taskId, workspaceId);
}
