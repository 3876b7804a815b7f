using Cairn.Storage.Catalog;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Accounts;

/// <summary>
/// Users, roles, personal access tokens and the audit log, in the catalog's database (ASP.NET Core Identity's EF Core
/// stores). A context of its own beside <see cref="CatalogDb"/>, with its own migrations history table
/// (<see cref="HistoryTable"/>), so the catalog's schema script, compiled model and native CLI front are untouched by
/// it. This type is the SQLite one (migrations in Accounts/Migrations); <see cref="PostgresAccountsDb"/> is the same
/// model on PostgreSQL (Accounts/PostgresMigrations).
/// </summary>
public class AccountsDb : IdentityDbContext<IdentityUser>
{
    /// <summary>The migrations history table of this context (the catalog's is EF's default).</summary>
    public const string HistoryTable = "__accounts_migrations";

    /// <summary>A SQLite accounts context.</summary>
    public AccountsDb(DbContextOptions<AccountsDb> options)
        : base(options)
    {
    }

    /// <summary>For a provider's own context type (its migrations are found by that type).</summary>
    protected AccountsDb(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>Personal access tokens (their SHA-256, never the token).</summary>
    public DbSet<AccessTokenRow> AccessTokens => Set<AccessTokenRow>();

    /// <summary>The audit log.</summary>
    public DbSet<AuditRow> Audit => Set<AuditRow>();

    /// <inheritdoc/>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    /// <inheritdoc/>
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<AccessTokenRow>(e =>
        {
            e.ToTable("access_tokens");
            e.HasIndex(x => x.Hash).IsUnique();
            e.HasIndex(x => x.UserId);
            e.Property(x => x.Hash).HasMaxLength(64);
        });
        // The three roles exist in every catalog, with fixed ids, so a user can be given one from the first migration on.
        builder.Entity<IdentityRole>().HasData(CairnRoles.All.Select(r => new IdentityRole(r) { Id = "role-" + r, NormalizedName = r.ToUpperInvariant(), ConcurrencyStamp = "role-" + r }));
        builder.Entity<AuditRow>(e =>
        {
            e.ToTable("audit");
            e.HasIndex(x => x.At);
        });
    }
}
