using System.Diagnostics;
using Cairn.Storage.Maintenance;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Xunit.Abstractions;

namespace Cairn.Storage.Tests.Safety;

/// <summary>
/// Kills a child process (SIGKILL) at random moments while it imports, edits, versions and collects garbage, then
/// checks the store: fsck clean, every visible version whole, and the next version create works and matches the
/// working state. Kills: CAIRN_CRASH_KILLS (default 50). About a second a kill on an idle
/// two-core machine (process start-up dominates); leave it out of quick loops with <c>--filter Category!=Crash</c>.
/// </summary>
public class CrashConsistencyTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "cairn-crash-" + Guid.NewGuid().ToString("N"));

    /// <summary>The catalog the home is created with (null: SQLite); the children find it in the home.</summary>
    protected virtual string? Catalog => null;

    /// <summary>The object store the home is created with (null: its own folder); the children find it in the home.</summary>
    protected virtual string? ObjectStore => null;

    /// <summary>Kills when CAIRN_CRASH_KILLS does not say.</summary>
    protected virtual int DefaultKills => 50;

    public virtual void Dispose()
    {
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    [Trait("Category", "Crash")]
    public async Task Store_survives_sigkill_at_random_moments()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("CAIRN_CRASH_KILLS"), out var k) ? k : DefaultKills;
        if (Catalog is not null || ObjectStore is not null)
        {
            CairnStore.Open(_home, catalog: Catalog, objectStore: ObjectStore).Dispose(); // the home records its PostgreSQL catalog, its S3 store
        }

        var host = Path.Combine(AppContext.BaseDirectory, "Cairn.Storage.CrashHost.dll");
        Assert.True(File.Exists(host), $"{host} is built with the tests");
        var rnd = new Random(20261127);
        var clock = Stopwatch.StartNew();
        var killedWhileWorking = 0;
        var readyTime = TimeSpan.Zero;
        var checkTime = TimeSpan.Zero;
        for (var i = 0; i < kills; i++)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(host);
            psi.ArgumentList.Add(_home);
            psi.ArgumentList.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var started = clock.Elapsed;
            using var child = Process.Start(psi)!;

            // Most kills land during the work loop; some during start-up and migration.
            if (rnd.Next(5) > 0)
            {
                var ready = child.StandardOutput.ReadLineAsync();
                if (await Task.WhenAny(ready, Task.Delay(30_000)) == ready && await ready == "ready")
                {
                    killedWhileWorking++;
                    readyTime += clock.Elapsed - started;
                }
            }

            await Task.Delay(rnd.Next(20, 600));
            if (child.HasExited)
            {
                Assert.Fail($"the child stopped before it was killed (exit {child.ExitCode}): {await child.StandardError.ReadToEndAsync()}");
            }

            child.Kill(entireProcessTree: true); // SIGKILL on Linux
            await child.WaitForExitAsync();
            var checkStart = clock.Elapsed;
            Check(i);
            checkTime += clock.Elapsed - checkStart;
        }

        output.WriteLine($"{kills} kills ({killedWhileWorking} during the work loop) in {clock.Elapsed.TotalSeconds:F1} s; start-up {readyTime.TotalSeconds / Math.Max(1, killedWhileWorking):F2} s, check {checkTime.TotalSeconds / kills:F2} s on average");
        Assert.True(killedWhileWorking >= kills / 2);
    }

    private void Check(int round)
    {
        using var store = CairnStore.Open(_home);
        var report = new Fsck(store).Run();
        Assert.True(report.Ok, $"after kill {round}: " + string.Join("\n", report.Problems.Take(5)));

        var projects = new ProjectService(store);
        var versions = new VersionService(store);
        var list = projects.List();
        if (list.Count == 0)
        {
            return;
        }

        // The next version create succeeds, and the version equals the working state item for item.
        var p = list[round % list.Count].Project;
        var v = versions.Create(p.Id, $"after kill {round}")!.Version;
        var working = projects.StreamItems(p.Id).OrderBy(x => x.Dataset, StringComparer.Ordinal).ThenBy(x => x.Item.Name, StringComparer.Ordinal)
            .Select(x => (x.Dataset, x.Item.Name, x.Item.AnnotationJson));
        Assert.Equal(working, versions.ReadAll(v).Select(x => (x.Dataset, x.Name, x.AnnotationText)));
        Assert.Equal(Enumerable.Range(1, v.Number).Reverse(), versions.List(p.Id).Select(x => x.Number));
    }
}

/// <summary>
/// The same kills on a home whose catalog is PostgreSQL (fewer by default: each check also creates a database
/// version there). Transactions, not SQLite's file locking, must keep every visible version whole.
/// </summary>
public sealed class PostgresCrashConsistencyTests(ITestOutputHelper output) : CrashConsistencyTests(output)
{
    private readonly string _catalog = Cairn.TestSupport.PostgresServer.CreateDatabase();

    /// <inheritdoc/>
    protected override string? Catalog => _catalog;

    /// <inheritdoc/>
    protected override int DefaultKills => 15;

    /// <inheritdoc/>
    public override void Dispose()
    {
        base.Dispose();
        Cairn.TestSupport.PostgresServer.DropDatabase(_catalog);
    }
}

