using Microsoft.EntityFrameworkCore;

namespace Cairn.Storage.Catalog;

/// <summary>
/// The catalog on PostgreSQL: the same entities and indexes as <see cref="CatalogDb"/>, with two adjustments that
/// keep one set of SQL statements (Catalog/Sql and the bulk paths) right on both providers:
/// <list type="bullet">
/// <item>columns are named in lower case, so unquoted names in plain SQL (<c>ProjectId</c>, which PostgreSQL folds to
/// <c>projectid</c>) find them, as SQLite's case-insensitive names do;</item>
/// <item>text columns use the "C" collation: comparisons, unique indexes and ORDER BY go by bytes, as SQLite's BINARY
/// collation does. Snapshot trees are built from rows read in name order and need exactly that order.</item>
/// </list>
/// Migrations: Catalog/PostgresMigrations.
/// </summary>
public sealed class PostgresCatalogDb(DbContextOptions<PostgresCatalogDb> options) : CatalogDb(options)
{
    /// <inheritdoc/>
    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        foreach (var entity in b.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(property.Name.ToLowerInvariant());
                if (property.ClrType == typeof(string))
                {
                    property.SetCollation("C");
                }
            }
        }
    }
}
