using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Cairn.Storage.Catalog;

/// <summary>Lets `dotnet ef migrations add --context PostgresCatalogDb` build the context without a server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCatalogDb>
{
    /// <inheritdoc/>
    public PostgresCatalogDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCatalogDb>().UseNpgsql("Host=localhost;Database=cairn_design").Options);
}
