using Cairn.Core.Ids;
using Cairn.Core.Model;
using Cairn.Server.Accounts;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.Tasks;
using Cairn.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Cli.Tests;

public class VersionCliTests : IDisposable
{
    private readonly CliRunner _cli;

    public VersionCliTests()
        : this(postgres: false)
    {
    }

    /// <summary>For the variants below: a PostgreSQL catalog, and commands started in the native front.</summary>
    protected VersionCliTests(bool postgres, bool native = false) => _cli = new CliRunner(postgres, native);

    public void Dispose()
    {
        _cli.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Version_commands_print_json_and_fsck_fails_on_a_flipped_byte()
    {
        var import = _cli.Run("import", "coco", SharedData.Resolve("tiny-coco"), "--project", "t", "--annotations", "annotations/instances_val2017.json", "--no-version", "--json");
        Assert.True(import.ExitCode == 0, import.Stderr);

        var v1 = _cli.Run("version", "create", "t", "--title", "first", "--json").Json();
        Assert.True(v1.GetProperty("created").GetBoolean());
        Assert.Equal(1, v1.GetProperty("version").GetProperty("number").GetInt32());
        Assert.False(_cli.Run("version", "create", "t", "--json").Json().GetProperty("created").GetBoolean());

        // Edit one item's labels in the working state, as the UI would, then version and diff.
        string edited;
        using (var store = CairnStore.Open(_cli.Home))
        {
            var projects = new ProjectService(store);
            var item = projects.Items(projects.Find("t")!.Id, take: 1)[0];
            edited = item.Name;
            projects.UpdateAnnotation(item.Id, new Annotation(item.Width, item.Height, [], [new Label("zebra", new RectangleGeometry(new BoxD(1, 1, 5, 5)))]));
        }

        var working = _cli.Run("version", "diff", "t@1", "t", "--json").Json();
        Assert.Equal(edited, working.GetProperty("changed")[0].GetProperty("name").GetString());
        Assert.Equal(2, _cli.Run("version", "create", "t", "--json").Json().GetProperty("version").GetProperty("number").GetInt32());
        var diff = _cli.Run("version", "diff", "t@1", "t@2", "--json").Json();
        Assert.Equal(1, diff.GetProperty("summary").GetProperty("labelsChanged").GetInt32());
        var zebra = diff.GetProperty("classes").EnumerateArray().Single(c => c.GetProperty("className").GetString() == "zebra");
        Assert.Equal(1, zebra.GetProperty("labelsAfter").GetInt64());

        Assert.Equal(2, _cli.Run("version", "list", "t", "--json").Json().GetProperty("versions").GetArrayLength());
        Assert.Equal(50, _cli.Run("version", "show", "t@1", "--json").Json().GetProperty("version").GetProperty("items").GetInt64());
        var restored = _cli.Run("version", "restore", "t@1", "--name", "back", "--json");
        Assert.True(restored.ExitCode == 0, restored.Stderr);
        Assert.Equal(50, restored.Json().GetProperty("items").GetInt64());
        Assert.NotEqual(0, _cli.Run("version", "show", "t@9", "--json").ExitCode);

        var fsck = _cli.Run("fsck", "--json");
        Assert.Equal(0, fsck.ExitCode);
        Assert.True(fsck.Json().GetProperty("ok").GetBoolean());
        var gc = _cli.Run("gc", "--grace", "0s", "--json");
        Assert.Equal(0, gc.ExitCode);

        // The restore is the OS user's version 1 of the new project; restore and gc are in the home's audit log.
        var back = _cli.Run("version", "list", "back", "--json").Json().GetProperty("versions")[0];
        Assert.Equal(Environment.UserName, back.GetProperty("author").GetString());
        var services = new ServiceCollection().AddCairn(_cli.Home);
        services.AddCairnAccounts();
        using (var provider = services.BuildServiceProvider())
        using (var scope = provider.CreateScope())
        {
            var audit = await scope.ServiceProvider.GetRequiredService<AccountService>().AuditLogAsync(100);
            Assert.Contains(audit, a => a.Action == AuditActions.Restore && a.Actor == Environment.UserName && a.Detail!.Contains("command line", StringComparison.Ordinal));
            Assert.Contains(audit, a => a.Action == AuditActions.Gc && a.Actor == Environment.UserName);
        }

        // Flip one byte of the version's root node: fsck names it and exits 1.
        var root = ContentId.Parse(v1.GetProperty("version").GetProperty("rootId").GetString()!);
        var path = Path.Combine(_cli.Home, "objects", root.ToString()[..2], root.ToString()[2..]);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        var bad = _cli.Run("fsck", "--json");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains(bad.Json().GetProperty("problems").EnumerateArray(), p => p.GetProperty("objectId").GetString() == root.ToString() && p.GetProperty("kind").GetString() == "corrupt");
        Assert.NotEqual(0, _cli.Run("version", "browse", "t@1").ExitCode);
    }
}

/// <summary>The same version commands on a home whose catalog is a PostgreSQL database (given once, with --catalog).</summary>
public sealed class PostgresVersionCliTests() : VersionCliTests(postgres: true);

/// <summary>
/// The same version commands started in the native front, as ./cairn starts them: it runs `version create` itself and
/// hands every other command to the full CLI.
/// </summary>
public sealed class NativeVersionCliTests() : VersionCliTests(postgres: false, native: true);

/// <summary>
/// The native front on a PostgreSQL home: the first command (which creates the catalog with EF Core's migrator) goes
/// to the full CLI, `version create` on the current catalog runs natively.
/// </summary>
public sealed class NativePostgresVersionCliTests() : VersionCliTests(postgres: true, native: true);
