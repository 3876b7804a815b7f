using System.Data.Common;
using Cairn.Core.Ids;
using Cairn.Storage.Objects;
using Cairn.Storage.Snapshots;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Storage.Maintenance;

/// <summary>
/// Visits every object reference the catalog holds: working-state images, version trees (each shared node once),
/// workspace files and models. Used by <c>gc</c> to mark and by <c>fsck</c> to check.
/// </summary>
internal sealed class ReferenceWalker(CairnStore store)
{
    /// <summary>Called for each reference: the id and a description of who refers to it (built lazily).</summary>
    public delegate void Visit(ContentId id, Func<string> referrer);

    /// <summary>Called when a node cannot be read: the id, who refers to it, and the error.</summary>
    public delegate void Damage(ContentId id, Func<string> referrer, Exception error);

    public int Versions { get; private set; }

    public int Nodes { get; private set; }

    public long Items { get; private set; }

    /// <summary>Walks all references. <paramref name="checkAnnotations"/> re-hashes annotation documents inside leaves.</summary>
    public void Walk(Visit visit, Damage damage, bool checkAnnotations, CancellationToken ct)
    {
        using var db = store.Catalog();
        var conn = db.Database.GetDbConnection();
        var projects = db.Projects.AsNoTracking().ToDictionary(p => p.Id, p => p.Name);
        string ProjectName(long id) => projects.TryGetValue(id, out var n) ? n : $"#{id}";

        foreach (var (projectId, name, image) in Query(conn, "SELECT ProjectId, Name, ImageId FROM items", r => (r.GetInt64(0), r.GetString(1), (byte[])r.GetValue(2))))
        {
            Items++;
            if ((Items & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            visit(ContentId.FromBytes(image), () => $"project '{ProjectName(projectId)}' item '{name}' (image)");
        }

        foreach (var f in db.Files.AsNoTracking().Select(f => new { f.Path, f.ContentId }).AsEnumerable())
        {
            visit(ContentId.FromBytes(f.ContentId), () => $"file '{f.Path}'");
        }

        foreach (var m in db.Models.AsNoTracking().Select(m => new { m.Name, m.FileId }).AsEnumerable())
        {
            visit(ContentId.FromBytes(m.FileId), () => $"model '{m.Name}'");
        }

        var nodes = new SnapshotObjects(store.Objects);
        var seen = new HashSet<ContentId>();
        var versions = db.Versions.AsNoTracking().OrderBy(v => v.ProjectId).ThenBy(v => v.Number)
            .Select(v => new { v.ProjectId, v.Number, v.RootId }).ToList();
        foreach (var v in versions)
        {
            ct.ThrowIfCancellationRequested();
            Versions++;
            var rootId = ContentId.FromBytes(v.RootId);
            string Who() => $"{ProjectName(v.ProjectId)}@{v.Number}";
            visit(rootId, () => $"version {Who()} (root)");
            if (!seen.Add(rootId))
            {
                continue;
            }

            RootNode root;
            try
            {
                root = nodes.ReadRoot(rootId);
                Nodes++;
            }
            catch (Exception e) when (e is CorruptObjectException or MissingObjectException or SnapshotFormatException)
            {
                damage(rootId, () => $"version {Who()} (root)", e);
                continue;
            }

            foreach (var d in root.Datasets)
            {
                WalkTree(nodes, d.TreeId, () => $"version {Who()} dataset '{d.Path}'", seen, visit, damage, checkAnnotations, ct);
                if (d.DeltaId is { } delta)
                {
                    WalkTree(nodes, delta, () => $"version {Who()} dataset '{d.Path}' (delta)", seen, visit, damage, checkAnnotations, ct);
                }
            }
        }
    }

    private void WalkTree(SnapshotObjects nodes, ContentId id, Func<string> who, HashSet<ContentId> seen, Visit visit, Damage damage, bool checkAnnotations, CancellationToken ct)
    {
        visit(id, who);
        if (!seen.Add(id))
        {
            return;
        }

        byte[] stored;
        try
        {
            stored = store.Objects.Get(id);
            Nodes++;
            if (NodeCodec.KindOf(id, stored) == NodeKind.Index)
            {
                var (_, children) = NodeCodec.DecodeIndex(id, stored);
                foreach (var c in children)
                {
                    WalkTree(nodes, c.Id, who, seen, visit, damage, checkAnnotations, ct);
                }

                return;
            }

            var entries = NodeCodec.KindOf(id, stored) == NodeKind.Delta ? NodeCodec.DecodeDelta(id, stored).Puts : NodeCodec.DecodeLeaf(id, stored);
            foreach (var e in entries)
            {
                visit(e.ImageId, () => $"{who()} item '{e.Name}' (image)");
                if (checkAnnotations && ContentId.Of(e.AnnotationJson) != e.AnnotationId)
                {
                    damage(e.AnnotationId, () => $"{who()} item '{e.Name}' (annotation)", new SnapshotFormatException(id, $"item '{e.Name}': the annotation document does not hash to its id."));
                }
            }
        }
        catch (Exception e) when (e is CorruptObjectException or MissingObjectException or SnapshotFormatException)
        {
            damage(id, who, e);
        }

        ct.ThrowIfCancellationRequested();
    }

    private static IEnumerable<T> Query<T>(DbConnection conn, string sql, Func<DbDataReader, T> map)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            yield return map(r);
        }
    }
}
