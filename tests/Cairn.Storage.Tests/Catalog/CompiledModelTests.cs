using Cairn.Storage.Catalog.CompiledModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cairn.Storage.Tests.Catalog;

/// <summary>
/// The catalog opens with EF Core's compiled model (Catalog/CompiledModel, made by `dotnet ef dbcontext optimize`):
/// it must describe exactly the model that Entities.cs and CatalogDb.OnModelCreating build, or queries would map columns
/// wrongly. Regenerate it after changing the entities (docs/architecture.md says how).
/// </summary>
public sealed class CompiledModelTests
{
    [Fact]
    public void Compiled_model_is_in_use_and_matches_the_model_the_entities_build()
    {
        using var home = new TempHome();
        using var db = home.Store.Catalog();
        Assert.IsType<CatalogDbModel>(db.Model);

        var compiled = Signature(db.Model);
        var built = Signature(db.GetService<IDesignTimeModel>().Model);
        Assert.True(compiled.SequenceEqual(built),
            "the compiled model is stale; run `dotnet ef dbcontext optimize --project src/Cairn.Storage --output-dir Catalog/CompiledModel " +
            "--namespace Cairn.Storage.Catalog.CompiledModel`. First difference: " +
            string.Join(" vs ", compiled.Except(built).Concat(built.Except(compiled)).Take(2)));
        Assert.Contains(compiled, line => line.StartsWith("items.annotation_json", StringComparison.Ordinal) || line.Contains("AnnotationJson", StringComparison.Ordinal));

        // The latest migration matches the entities too (no pending model change without a migration).
        Assert.False(db.Database.HasPendingModelChanges(), "the entities changed without a migration: run `dotnet ef migrations add NAME --project src/Cairn.Storage`");
    }

    // Tables, columns (CLR type, nullability, length), keys, foreign keys and indexes, one line each, in a fixed order.
    private static List<string> Signature(IReadOnlyModel model)
    {
        var lines = new List<string>();
        foreach (var e in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var table = e.GetTableName();
            lines.Add($"entity {e.Name} -> {table}");
            var id = StoreObjectIdentifier.Table(table!, e.GetSchema());
            foreach (var p in e.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                lines.Add($"{table}.{p.GetColumnName(id)} {p.Name} {p.ClrType.Name} null={p.IsNullable} max={p.GetMaxLength()} gen={p.ValueGenerated}");
            }

            lines.Add($"{table} key " + string.Join(",", e.FindPrimaryKey()!.Properties.Select(p => p.Name)));
            foreach (var fk in e.GetForeignKeys().OrderBy(f => string.Join(",", f.Properties.Select(p => p.Name)), StringComparer.Ordinal))
            {
                lines.Add($"{table} fk ({string.Join(",", fk.Properties.Select(p => p.Name))}) -> {fk.PrincipalEntityType.Name} {fk.DeleteBehavior}");
            }

            foreach (var ix in e.GetIndexes().OrderBy(i => string.Join(",", i.Properties.Select(p => p.Name)), StringComparer.Ordinal))
            {
                lines.Add($"{table} index ({string.Join(",", ix.Properties.Select(p => p.Name))}) unique={ix.IsUnique}");
            }
        }

        return lines;
    }
}
