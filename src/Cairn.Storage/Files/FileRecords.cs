using Cairn.Core.Ids;
using Cairn.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Storage.Files;

/// <summary>The catalog's workspace file rows: the queries behind the file store.</summary>
public sealed class FileRecords(CairnStore store)
{
    /// <summary>A file row by id.</summary>
    public FileRow? Get(long id)
    {
        using var db = store.Catalog();
        return db.Files.AsNoTracking().FirstOrDefault(f => f.Id == id);
    }

    /// <summary>Files by path (of one task when <paramref name="taskId"/> is given), at most <paramref name="take"/>.</summary>
    public IReadOnlyList<FileRow> List(long? taskId = null, int take = int.MaxValue)
    {
        using var db = store.Catalog();
        var q = db.Files.AsNoTracking();
        if (taskId is { } t)
        {
            q = q.Where(f => f.TaskId == t);
        }

        return q.OrderBy(f => f.Path).Take(take).ToList();
    }

    /// <summary>The newest file of a kind under a folder (<paramref name="folder"/> ends in '/'), or null.</summary>
    public FileRow? Newest(string folder, string kind)
    {
        using var db = store.Catalog();
        return db.Files.AsNoTracking().Where(f => f.Kind == kind && f.Path.StartsWith(folder)).OrderByDescending(f => f.Id).FirstOrDefault();
    }

    /// <summary>Records stored content under a workspace path; a path that exists gets a numbered suffix so files are never overwritten.</summary>
    public FileRow Add(string path, ContentId id, long size, string kind, long? taskId, long? workspaceId)
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
