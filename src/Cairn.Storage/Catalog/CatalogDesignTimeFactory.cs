using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Cairn.Storage.Catalog;

/// <summary>Lets `dotnet ef migrations add` build the context without a running host.</summary>
public sealed class CatalogDesignTimeFactory : IDesignTimeDbContextFactory<CatalogDb>
{
    /// <inheritdoc/>
    public CatalogDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<CatalogDb>().UseSqlite("Data Source=design.db").Options);
}
