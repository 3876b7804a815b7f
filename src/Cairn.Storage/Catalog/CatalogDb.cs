using Microsoft.EntityFrameworkCore;

namespace Cairn.Storage.Catalog;

/// <summary>
/// The catalog: workspaces, projects and their working state, versions, tasks, files, models, evaluations. This type
/// is the SQLite catalog (migrations in Catalog/Migrations); <see cref="PostgresCatalogDb"/> is the same model on
/// PostgreSQL, with migrations of its own.
/// </summary>
public class CatalogDb : DbContext
{
    /// <summary>A SQLite catalog.</summary>
    public CatalogDb(DbContextOptions<CatalogDb> options)
        : base(options)
    {
    }

    /// <summary>For a provider's own context type (its migrations are found by that type).</summary>
    protected CatalogDb(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>Workspaces.</summary>
    public DbSet<WorkspaceRow> Workspaces => Set<WorkspaceRow>();

    /// <summary>Projects.</summary>
    public DbSet<ProjectRow> Projects => Set<ProjectRow>();

    /// <summary>Datasets of projects.</summary>
    public DbSet<DatasetRow> Datasets => Set<DatasetRow>();

    /// <summary>Items of the working state.</summary>
    public DbSet<ItemRow> Items => Set<ItemRow>();

    /// <summary>Tombstones of removed items.</summary>
    public DbSet<RemovedItemRow> RemovedItems => Set<RemovedItemRow>();

    /// <summary>Versions.</summary>
    public DbSet<VersionRow> Versions => Set<VersionRow>();

    /// <summary>Tasks.</summary>
    public DbSet<TaskRow> Tasks => Set<TaskRow>();

    /// <summary>Task log lines.</summary>
    public DbSet<TaskLogRow> TaskLogs => Set<TaskLogRow>();

    /// <summary>Task inputs and outputs.</summary>
    public DbSet<TaskRelationRow> TaskRelations => Set<TaskRelationRow>();

    /// <summary>Workspace files.</summary>
    public DbSet<FileRow> Files => Set<FileRow>();

    /// <summary>Registered models.</summary>
    public DbSet<ModelRow> Models => Set<ModelRow>();

    /// <summary>Evaluations.</summary>
    public DbSet<EvaluationRow> Evaluations => Set<EvaluationRow>();

    /// <inheritdoc/>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Times are stored as UTC; SQLite keeps no kind, so read them back as UTC (JSON then ends them in Z on both
        // providers, as a client must be told).
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    /// <inheritdoc/>
    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<WorkspaceRow>(e =>
        {
            e.ToTable("workspaces");
            e.HasIndex(x => x.Name).IsUnique();
        });
        b.Entity<ProjectRow>(e =>
        {
            e.ToTable("projects");
            e.HasIndex(x => new { x.WorkspaceId, x.Name }).IsUnique();
            e.Property(x => x.ChangeSeq).IsConcurrencyToken();
        });
        b.Entity<DatasetRow>(e =>
        {
            e.ToTable("datasets");
            e.HasIndex(x => new { x.ProjectId, x.Path }).IsUnique();
        });
        b.Entity<ItemRow>(e =>
        {
            e.ToTable("items");
            e.HasIndex(x => new { x.ProjectId, x.DatasetId, x.Name }).IsUnique();
            e.HasIndex(x => new { x.ProjectId, x.ChangeSeq });
        });
        b.Entity<RemovedItemRow>(e =>
        {
            e.ToTable("removed_items");
            e.HasIndex(x => new { x.ProjectId, x.ChangeSeq });
        });
        b.Entity<VersionRow>(e =>
        {
            e.ToTable("versions");
            e.HasIndex(x => new { x.ProjectId, x.Number }).IsUnique();
        });
        b.Entity<TaskRow>(e =>
        {
            e.ToTable("tasks");
            e.HasIndex(x => new { x.WorkspaceId, x.CreatedAt });
            e.HasIndex(x => x.Status);
        });
        b.Entity<TaskLogRow>(e =>
        {
            e.ToTable("task_logs");
            e.HasIndex(x => new { x.TaskId, x.Id });
        });
        b.Entity<TaskRelationRow>(e =>
        {
            e.ToTable("task_relations");
            e.HasIndex(x => x.TaskId);
            e.HasIndex(x => new { x.NodeKind, x.RefId });
        });
        b.Entity<FileRow>(e =>
        {
            e.ToTable("files");
            e.HasIndex(x => new { x.WorkspaceId, x.Path }).IsUnique();
            e.HasIndex(x => x.TaskId);
        });
        b.Entity<ModelRow>(e =>
        {
            e.ToTable("models");
            e.HasIndex(x => new { x.WorkspaceId, x.Name }).IsUnique();
        });
        b.Entity<EvaluationRow>(e =>
        {
            e.ToTable("evaluations");
            e.HasIndex(x => x.ModelId);
            e.HasIndex(x => x.VersionId);
        });
    }
}
