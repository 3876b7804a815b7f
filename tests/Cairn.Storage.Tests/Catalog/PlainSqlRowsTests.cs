using Cairn.Core.Model;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Storage.Tests.Catalog;

/// <summary>
/// Imports and version creates write their rows with plain SQL (no EF start-up in a short command); everything else
/// reads them through EF Core. The two must agree on every column, times and nulls included.
/// </summary>
public class PlainSqlRowsTests
{
    private readonly bool _postgres;

    public PlainSqlRowsTests()
        : this(postgres: false)
    {
    }

    /// <summary>For <see cref="PostgresPlainSqlRowsTests"/>.</summary>
    protected PlainSqlRowsTests(bool postgres) => _postgres = postgres;

    [Fact]
    public void Rows_written_with_plain_sql_read_back_identically_through_ef()
    {
        using var home = new TempHome(_postgres);
        var (img, size) = home.Image(7);
        var items = new[]
        {
            new NewItem("train/a", "x.jpg", img, size, TempHome.Boxes(2, "car")),
            new NewItem("val", "y.jpg", img, size, TempHome.Boxes(0)),
        };
        var created = home.Projects.CreateWithItems("raw", new ProjectMeta([new ObjClass("car", GeometryKind.Rectangle, "#ff0000")], []), items, description: null, createdByTaskId: 42)!;

        using (var db = home.Store.Catalog())
        {
            var p = db.Projects.AsNoTracking().Single(p => p.Id == created.Id);
            Assert.Equal(created.Name, p.Name);
            Assert.Null(p.Description);
            Assert.Equal(created.MetaJson, p.MetaJson);
            Assert.Equal(42, p.CreatedByTaskId);
            Assert.Null(p.OriginVersionId);
            Assert.Equal(created.CreatedAt, p.CreatedAt);
            Assert.Equal(created.UpdatedAt, p.UpdatedAt);
            Assert.Equal((DateTimeKind.Utc, DateTimeKind.Utc), (p.CreatedAt.Kind, p.UpdatedAt.Kind)); // EF: SQLite keeps no kind
            Assert.Equal(db.Workspaces.AsNoTracking().OrderBy(w => w.Id).First().Id, p.WorkspaceId);
            Assert.Equal(["train/a", "val"], db.Datasets.AsNoTracking().Where(d => d.ProjectId == p.Id).Select(d => d.Path).OrderBy(x => x).ToList());
            Assert.Equal(2, db.Items.AsNoTracking().Count(i => i.ProjectId == p.Id));
        }

        var found = home.Projects.Find("raw")!;
        Assert.Equal(created.Id, found.Id);
        Assert.Equal(created.CreatedAt, found.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, found.CreatedAt.Kind); // plain SQL
        Assert.Equal(42, found.CreatedByTaskId);
        Assert.Null(home.Projects.Find("no such project"));
        Assert.Equal(created.Id, home.Projects.Find(created.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))!.Id);

        var versions = new VersionService(home.Store);
        var v = versions.Create(created.Id, title: "t", description: null, author: "me")!.Version;
        VersionSummary listed;
        using (var db = home.Store.Catalog())
        {
            listed = VersionSummary.From(db.Versions.AsNoTracking().Single(x => x.ProjectId == created.Id)); // EF
        }

        Assert.Equal(v, versions.List(created.Id).Single() with { Stats = v.Stats }); // plain SQL again
        Assert.Equal(v.Id, versions.Get(created.Id, 1)!.Id);
        var summary = home.Projects.List().Single();
        Assert.Equal((created.Id, 2, 2, 1), (summary.Project.Id, summary.Items, summary.Labels, summary.LatestVersion));
        Assert.Equal(v.Id, listed.Id);
        Assert.Equal(v.CreatedAt, listed.CreatedAt);
        Assert.Equal(v.RootId, listed.RootId);
        Assert.Equal((v.Title, v.Description, v.Author, v.Number, v.Items, v.Labels, v.NewBytes), (listed.Title, listed.Description, listed.Author, listed.Number, listed.Items, listed.Labels, listed.NewBytes));
        Assert.Equal(v.Stats.ToJson(), listed.Stats.ToJson());
        Assert.Equal(2, listed.Stats.Classes["car"].Labels);
        Assert.Equal((DateTimeKind.Utc, DateTimeKind.Utc), (listed.CreatedAt.Kind, versions.Get(v.Id)!.CreatedAt.Kind));
    }

    [Fact]
    public void A_name_given_twice_in_one_dataset_keeps_the_last_item_on_both_providers()
    {
        using var home = new TempHome(_postgres);
        var (a, sizeA) = home.Image(1);
        var (b, sizeB) = home.Image(2);
        var items = Enumerable.Range(0, 300)
            .Select(i => new NewItem(i % 2 == 0 ? "even" : "odd", $"i{i:D3}.jpg", a, sizeA, TempHome.Boxes(1, "car")))
            .Append(new NewItem("even", "i000.jpg", b, sizeB, TempHome.Boxes(3, "dog"))) // again, later
            .Append(new NewItem("new", "late.jpg", b, sizeB, TempHome.Boxes(0)))
            .ToList();
        var p = home.Projects.CreateWithItems("dupes", ProjectMeta.Empty, items)!;

        var rows = home.Projects.Items(p.Id, take: 1000);
        Assert.Equal(301, rows.Count);
        var again = rows.Single(r => r.Name == "i000.jpg");
        Assert.Equal(b.Bytes.ToArray(), again.ImageId);
        Assert.Equal(3, again.LabelCount);
        Assert.Equal(["even", "new", "odd"], home.Projects.Datasets(p.Id).Select(d => d.Path));
        Assert.Equal(301, home.Projects.Datasets(p.Id).Sum(d => d.Items));
    }
}

/// <summary>The same on a PostgreSQL catalog, where plain SQL must also find EF's lower-case column names.</summary>
public sealed class PostgresPlainSqlRowsTests() : PlainSqlRowsTests(postgres: true);
