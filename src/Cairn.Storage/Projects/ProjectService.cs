using System.Globalization;
using Cairn.Core.Ids;
using Cairn.Core.Model;
using Cairn.Core.Serialization;
using Cairn.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Storage.Projects;

/// <summary>Reads and writes projects' working state in the catalog.</summary>
public sealed class ProjectService(CairnStore store)
{
    /// <summary>The store this service works on.</summary>
    public CairnStore Store => store;

    /// <summary>The default workspace's id.</summary>
    public long DefaultWorkspaceId()
    {
        using var db = store.Catalog();
        return db.Workspaces.AsNoTracking().OrderBy(w => w.Id).Select(w => w.Id).First();
    }

    /// <summary>Renames the default workspace and sets its description.</summary>
    public void DescribeDefaultWorkspace(string name, string? description)
    {
        using var db = store.Catalog();
        var ws = db.Workspaces.OrderBy(w => w.Id).First();
        ws.Name = name;
        ws.Description = description;
        db.SaveChanges();
    }

    /// <summary>
    /// Creates a project with its items in one transaction: either all of it is visible afterwards or none of it.
    /// Returns null when a project of that name exists.
    /// </summary>
    public ProjectRow? CreateWithItems(string name, ProjectMeta meta, IEnumerable<NewItem> items, string? description = null, long? workspaceId = null, long? originVersionId = null, long? createdByTaskId = null, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        // Plain SQL: this is an import's whole catalog write, and EF's start-up would cost more than the rows.
        using var conn = store.OpenConnection();
        using var tx = conn.BeginTransaction();
        var ws = workspaceId ?? Convert.ToInt64(Sql.Scalar(conn, tx, "SELECT Id FROM workspaces ORDER BY Id LIMIT 1"), CultureInfo.InvariantCulture);
        if (Sql.Scalar(conn, tx, "SELECT 1 FROM projects WHERE WorkspaceId = @ws AND Name = @n", ("@ws", ws), ("@n", name)) is not null)
        {
            return null;
        }

        var now = store.UtcNow;
        var project = new ProjectRow
        {
            WorkspaceId = ws,
            Name = name,
            Description = description,
            MetaJson = ProjectMetaJson.ToJson(meta),
            ChangeSeq = 1,
            OriginVersionId = originVersionId,
            CreatedByTaskId = createdByTaskId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        project.Id = Convert.ToInt64(
            Sql.Scalar(
                conn,
                tx,
                "INSERT INTO projects (WorkspaceId, Name, Description, MetaJson, ChangeSeq, OriginVersionId, CreatedByTaskId, CreatedAt, UpdatedAt) " +
                "VALUES (@ws, @n, @d, @m, @seq, @o, @t, @c, @u) RETURNING Id",
                ("@ws", ws),
                ("@n", name),
                ("@d", description),
                ("@m", project.MetaJson),
                ("@seq", project.ChangeSeq),
                ("@o", originVersionId),
                ("@t", createdByTaskId),
                ("@c", now),
                ("@u", now)),
            CultureInfo.InvariantCulture);
        using (var writer = new ItemWriter(conn, tx, project.Id, project.ChangeSeq, newProject: true))
        {
            foreach (var item in items)
            {
                ct.ThrowIfCancellationRequested();
                writer.Write(item);
                if (writer.Count % 256 == 0)
                {
                    progress?.Report(writer.Count);
                }
            }

            writer.Finish();
            progress?.Report(writer.Count);
        }

        tx.Commit();
        return project;
    }

    /// <summary>Finds a project by name (or by numeric id given as text) in the default workspace.</summary>
    public ProjectRow? Find(string nameOrId)
    {
        // Plain SQL: every CLI command that names a project starts here.
        using var conn = store.OpenConnection();
        var p = Sql.One(conn, null, Sql.ReadProject, $"SELECT {Sql.ProjectColumns} FROM projects WHERE Name = @n LIMIT 1", ("@n", nameOrId));
        if (p is null && long.TryParse(nameOrId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            p = Sql.One(conn, null, Sql.ReadProject, $"SELECT {Sql.ProjectColumns} FROM projects WHERE Id = @id", ("@id", id));
        }

        return p;
    }

    /// <summary>Finds a project by id.</summary>
    public ProjectRow? Get(long id)
    {
        using var conn = store.OpenConnection();
        return Sql.One(conn, null, Sql.ReadProject, $"SELECT {Sql.ProjectColumns} FROM projects WHERE Id = @id", ("@id", id));
    }

    /// <summary>Every project with its item count, newest first.</summary>
    public IReadOnlyList<ProjectSummary> List()
    {
        // Plain SQL (`cairn project list` runs it once per process): one pass, counts per project in the database.
        using var conn = store.OpenConnection();
        return Sql.Many(
            conn,
            null,
            r => new ProjectSummary(
                Sql.ReadProject(r),
                Convert.ToInt32(r.GetValue(10), CultureInfo.InvariantCulture),
                Convert.ToInt32(r.GetValue(11), CultureInfo.InvariantCulture),
                Convert.ToInt32(r.GetValue(12), CultureInfo.InvariantCulture)),
            $"SELECT {Sql.ProjectColumns}, " +
            "(SELECT count(*) FROM items i WHERE i.ProjectId = projects.Id), " +
            "(SELECT COALESCE(sum(i.LabelCount), 0) FROM items i WHERE i.ProjectId = projects.Id), " +
            "(SELECT COALESCE(max(v.Number), 0) FROM versions v WHERE v.ProjectId = projects.Id) " +
            "FROM projects ORDER BY Id DESC");
    }

    /// <summary>The datasets of a project with their item counts, ordered by path.</summary>
    public IReadOnlyList<DatasetSummary> Datasets(long projectId)
    {
        using var conn = store.OpenConnection();
        return Sql.Many(
            conn,
            null,
            r => new DatasetSummary(r.GetInt64(0), r.GetString(1), Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture)),
            "SELECT d.Id, d.Path, (SELECT count(*) FROM items i WHERE i.ProjectId = @p AND i.DatasetId = d.Id) FROM datasets d WHERE d.ProjectId = @p ORDER BY d.Path",
            ("@p", projectId));
    }

    /// <summary>Label and image counts per class over the project's working state.</summary>
    public IReadOnlyDictionary<string, ClassCount> ClassCounts(long projectId)
    {
        using var conn = store.OpenConnection();
        using var cmd = Sql.Command(conn, null, "SELECT AnnotationJson FROM items WHERE ProjectId = @p AND LabelCount > 0", ("@p", projectId));
        using var r = cmd.ExecuteReader();
        var result = new Dictionary<string, ClassCount>(StringComparer.Ordinal);
        while (r.Read())
        {
            var ann = AnnotationJson.Parse(r.GetString(0));
            foreach (var group in ann.Labels.GroupBy(l => l.ClassName))
            {
                var c = result.GetValueOrDefault(group.Key);
                result[group.Key] = new ClassCount(c.Labels + group.Count(), c.Images + 1);
            }
        }

        return result;
    }

    /// <summary>A page of items, optionally of one dataset, ordered by dataset and name.</summary>
    public IReadOnlyList<ItemRow> Items(long projectId, long? datasetId = null, int skip = 0, int take = 100)
    {
        using var db = store.Catalog();
        var q = db.Items.AsNoTracking().Where(i => i.ProjectId == projectId);
        if (datasetId is { } d)
        {
            q = q.Where(i => i.DatasetId == d);
        }

        return q.OrderBy(i => i.DatasetId).ThenBy(i => i.Name).Skip(skip).Take(take).ToList();
    }

    /// <summary>
    /// A page of the items that match a query, ordered by dataset and name, with the number of matches. The query runs
    /// in the catalog (the same SQL on SQLite and PostgreSQL): classes through <c>ClassList</c>, tags through the
    /// canonical annotation text (<see cref="ItemQuery.TagMarker"/>), the rest through plain columns.
    /// </summary>
    public ItemMatches FindItems(long projectId, ItemQuery query, int skip = 0, int take = 100)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var db = store.Catalog();
        var q = db.Items.AsNoTracking().Where(i => i.ProjectId == projectId);
        if (query.DatasetId is { } d)
        {
            q = q.Where(i => i.DatasetId == d);
        }

        foreach (var cls in query.Classes)
        {
            var marker = ItemQuery.ClassMarker(cls);
            q = q.Where(i => i.ClassList.Contains(marker));
        }

        foreach (var tag in query.Tags)
        {
            var marker = ItemQuery.TagMarker(tag);
            q = q.Where(i => i.AnnotationJson.Contains(marker));
        }

        if (!string.IsNullOrEmpty(query.Name))
        {
            var lowered = ItemQuery.AsciiLower(query.Name);
            q = q.Where(i => i.Name.ToLower().Contains(lowered));
        }

        if (query.MinLabels is { } minLabels)
        {
            q = q.Where(i => i.LabelCount >= minLabels);
        }

        if (query.MaxLabels is { } maxLabels)
        {
            q = q.Where(i => i.LabelCount <= maxLabels);
        }

        if (query.MinWidth is { } minWidth)
        {
            q = q.Where(i => i.Width >= minWidth);
        }

        if (query.MaxWidth is { } maxWidth)
        {
            q = q.Where(i => i.Width <= maxWidth);
        }

        if (query.MinHeight is { } minHeight)
        {
            q = q.Where(i => i.Height >= minHeight);
        }

        if (query.MaxHeight is { } maxHeight)
        {
            q = q.Where(i => i.Height <= maxHeight);
        }

        var total = q.Count();
        var items = q.OrderBy(i => i.DatasetId).ThenBy(i => i.Name).Skip(Math.Max(0, skip)).Take(Math.Max(0, take)).ToList();
        return new ItemMatches(total, items);
    }

    /// <summary>The working-state item of a project at a dataset path and name, if there is one.</summary>
    public ItemRow? FindItem(long projectId, string datasetPath, string name)
    {
        using var db = store.Catalog();
        var dataset = db.Datasets.AsNoTracking().Where(d => d.ProjectId == projectId && d.Path == datasetPath).Select(d => (long?)d.Id).FirstOrDefault();
        return dataset is { } id ? db.Items.AsNoTracking().FirstOrDefault(i => i.ProjectId == projectId && i.DatasetId == id && i.Name == name) : null;
    }

    /// <summary>All items of a project in a stable order, streamed (for export and snapshots).</summary>
    public IEnumerable<(string Dataset, ItemRow Item)> StreamItems(long projectId)
    {
        using var db = store.Catalog();
        var datasets = db.Datasets.AsNoTracking().Where(d => d.ProjectId == projectId).ToDictionary(d => d.Id, d => d.Path);
        foreach (var item in db.Items.AsNoTracking().Where(i => i.ProjectId == projectId).OrderBy(i => i.DatasetId).ThenBy(i => i.Name).AsEnumerable())
        {
            yield return (datasets[item.DatasetId], item);
        }
    }

    /// <summary>The items before and after <paramref name="item"/> in its dataset, in name order (the gallery's order); null at either end.</summary>
    public (ItemRow? Previous, ItemRow? Next) Neighbours(ItemRow item)
    {
        using var db = store.Catalog();
        var q = db.Items.AsNoTracking().Where(i => i.DatasetId == item.DatasetId);
        var previous = q.Where(i => string.Compare(i.Name, item.Name) < 0).OrderByDescending(i => i.Name).FirstOrDefault();
        var next = q.Where(i => string.Compare(i.Name, item.Name) > 0).OrderBy(i => i.Name).FirstOrDefault();
        return (previous, next);
    }

    /// <summary>One item by id.</summary>
    public ItemRow? Item(long itemId)
    {
        using var db = store.Catalog();
        return db.Items.AsNoTracking().FirstOrDefault(i => i.Id == itemId);
    }

    /// <summary>One dataset by id.</summary>
    public DatasetRow? Dataset(long datasetId)
    {
        using var db = store.Catalog();
        return db.Datasets.AsNoTracking().FirstOrDefault(d => d.Id == datasetId);
    }

    /// <summary>
    /// Replaces an item's annotation, bumping the project's change counter, and records who edited it (<paramref name="editedBy"/>,
    /// null for a program's write). False when the item does not exist.
    /// </summary>
    public bool UpdateAnnotation(long itemId, Annotation annotation, string? editedBy = null)
    {
        using var db = store.Catalog();
        using var tx = db.Database.BeginTransaction();
        var item = db.Items.FirstOrDefault(i => i.Id == itemId);
        if (item is null)
        {
            return false;
        }

        var seq = BumpSeq(db, item.ProjectId);
        var json = AnnotationJson.ToUtf8(annotation);
        item.AnnotationJson = System.Text.Encoding.UTF8.GetString(json);
        item.AnnotationId = ContentId.Of(json).Bytes.ToArray();
        item.LabelCount = annotation.Labels.Count;
        item.ClassList = ItemWriter.ClassList(annotation);
        item.Width = annotation.Width;
        item.Height = annotation.Height;
        item.ChangeSeq = seq;
        item.EditedBy = editedBy;
        db.SaveChanges();
        tx.Commit();
        return true;
    }

    /// <summary>Replaces the project meta (classes, tags), bumping the change counter.</summary>
    public void UpdateMeta(long projectId, ProjectMeta meta)
    {
        using var db = store.Catalog();
        using var tx = db.Database.BeginTransaction();
        BumpSeq(db, projectId);
        var p = db.Projects.First(p => p.Id == projectId);
        p.MetaJson = ProjectMetaJson.ToJson(meta);
        db.SaveChanges();
        tx.Commit();
    }

    /// <summary>Removes an item, leaving a tombstone so the next version records the removal.</summary>
    public bool RemoveItem(long itemId)
    {
        using var db = store.Catalog();
        using var tx = db.Database.BeginTransaction();
        var item = db.Items.FirstOrDefault(i => i.Id == itemId);
        if (item is null)
        {
            return false;
        }

        var seq = BumpSeq(db, item.ProjectId);
        var ds = db.Datasets.First(d => d.Id == item.DatasetId);
        db.RemovedItems.Add(new RemovedItemRow { ProjectId = item.ProjectId, DatasetPath = ds.Path, Name = item.Name, ChangeSeq = seq });
        db.Items.Remove(item);
        db.SaveChanges();
        tx.Commit();
        return true;
    }

    /// <summary>Deletes a project's working state. Versions, tasks and objects stay (gc reclaims unreferenced objects).</summary>
    public bool Delete(long projectId)
    {
        using var db = store.Catalog();
        using var tx = db.Database.BeginTransaction();
        var p = db.Projects.FirstOrDefault(p => p.Id == projectId);
        if (p is null)
        {
            return false;
        }

        db.Items.Where(i => i.ProjectId == projectId).ExecuteDelete();
        db.RemovedItems.Where(i => i.ProjectId == projectId).ExecuteDelete();
        db.Datasets.Where(i => i.ProjectId == projectId).ExecuteDelete();
        db.Projects.Remove(p);
        db.SaveChanges();
        tx.Commit();
        return true;
    }

    /// <summary>Increments and returns a project's change counter inside the caller's transaction.</summary>
    public static long BumpSeq(CatalogDb db, long projectId)
    {
        db.Database.ExecuteSql($"UPDATE projects SET ChangeSeq = ChangeSeq + 1, UpdatedAt = {DateTime.UtcNow} WHERE Id = {projectId}");
        return db.Projects.AsNoTracking().Where(p => p.Id == projectId).Select(p => p.ChangeSeq).First();
    }
}

/// <summary>A project with its counts.</summary>
public sealed record ProjectSummary(ProjectRow Project, int Items, int Labels, int LatestVersion);

/// <summary>A page of the items that matched a query, with how many matched in all.</summary>
public sealed record ItemMatches(int Total, IReadOnlyList<ItemRow> Items);

/// <summary>A dataset with its item count.</summary>
public sealed record DatasetSummary(long Id, string Path, int Items);

/// <summary>How many labels of a class, on how many images.</summary>
public readonly record struct ClassCount(int Labels, int Images);
