using System.Diagnostics;
using Cairn.TestSupport;
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

    /// <summary>The home the children work in.</summary>
    protected string Home => _home;

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
            foreach (var a in ChildArguments(i))
            {
                psi.ArgumentList.Add(a);
            }

            var started = clock.Elapsed;
            using var child = Process.Start(psi)!;

            // Armed before the child can write anything: a subclass may kill it at a chosen moment of its own.
            var killed = KillWhen(i, child);

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

            if (killed is null)
            {
                await Task.Delay(rnd.Next(20, 600));
            }
            else
            {
                await Task.WhenAny(killed, Task.Delay(30_000)); // not reached in time: killed below, wherever it is
            }

            if (killed?.IsCompleted != true && child.HasExited)
            {
                Assert.Fail($"the child stopped before it was killed (exit {child.ExitCode}): {await child.StandardError.ReadToEndAsync()}{Diagnostics()}");
            }

            child.Kill(entireProcessTree: true); // SIGKILL on Linux (nothing when a subclass killed it already)
            await child.WaitForExitAsync();
            Disarm();
            var checkStart = clock.Elapsed;
            Check(i);
            checkTime += clock.Elapsed - checkStart;
        }

        output.WriteLine($"{kills} kills ({killedWhileWorking} during the work loop) in {clock.Elapsed.TotalSeconds:F1} s; start-up {readyTime.TotalSeconds / Math.Max(1, killedWhileWorking):F2} s, check {checkTime.TotalSeconds / kills:F2} s on average");
        Assert.True(killedWhileWorking >= kills / 2);
        AfterKills(kills);
    }

    /// <summary>Arguments for the child after its home and seed (see Cairn.Storage.CrashHost).</summary>
    protected virtual IEnumerable<string> ChildArguments(int round) => [];

    /// <summary>
    /// A task that completes once the subclass has killed <paramref name="child"/> at a moment of its choosing (an
    /// upload reaching the server); null: killed after a random delay.
    /// </summary>
    protected virtual Task? KillWhen(int round, Process child) => null;

    /// <summary>What a failure message adds about the subclass's servers (their logs).</summary>
    protected virtual string Diagnostics() => string.Empty;

    /// <summary>Stops whatever <see cref="KillWhen"/> armed, before the checks run.</summary>
    protected virtual void Disarm()
    {
    }

    /// <summary>Checks on the whole run (e.g. that every chosen kill point was reached).</summary>
    protected virtual void AfterKills(int kills)
    {
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


/// <summary>
/// The same kills on a home whose objects are in an S3 bucket (s3rver, the stand-in, with signatures checked). Besides
/// random moments, the child is killed the moment one of its uploads reaches the server: a pack's data (single PUT),
/// a part of a multipart pack upload (every pack then carries a 17 MiB object), a pack's index, a loose object (or the
/// copy that renews an object's time). Whatever had landed, fsck must find every referenced object and every version
/// whole; packs without an index and unfinished multipart uploads are gc's to remove.
/// </summary>
public sealed class S3CrashConsistencyTests : CrashConsistencyTests
{
    private static readonly string[] Points = ["random", "pack", "index", "part", "loose"];

    private readonly S3Server _s3;
    private readonly ITestOutputHelper _output;
    private readonly string _prefix = "crash" + Guid.NewGuid().ToString("N")[..8];
    private readonly Dictionary<string, int> _reached = Points.ToDictionary(p => p, _ => 0, StringComparer.Ordinal);
    private Action<string>? _armed;

    public S3CrashConsistencyTests(ITestOutputHelper output)
        : base(output)
    {
        _output = output;
        S3Server.UseTestCredentials(); // the children inherit the environment: the AWS chain finds the key there
        _s3 = new S3Server(logRequests: true);
        _s3.RequestArrived += line => _armed?.Invoke(line);
    }

    /// <inheritdoc/>
    protected override string? ObjectStore => _s3.Location(_prefix);

    /// <inheritdoc/>
    protected override int DefaultKills => 15;

    /// <inheritdoc/>
    public override void Dispose()
    {
        base.Dispose();
        _s3.Dispose();
    }

    /// <inheritdoc/>
    protected override IEnumerable<string> ChildArguments(int round) => Point(round) == "part" ? ["large-packs"] : [];

    /// <inheritdoc/>
    protected override Task? KillWhen(int round, Process child)
    {
        var point = Point(round);
        if (point == "random")
        {
            return null;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var packs = "/" + _s3.Bucket + "/" + _prefix + "/packs/";
        _armed = line =>
        {
            var (method, url) = (line[..line.IndexOf(' ', StringComparison.Ordinal)], line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            var path = url.Split('?')[0];
            var hit = method == "PUT" && point switch
            {
                "pack" => path.StartsWith(packs, StringComparison.Ordinal) && path.EndsWith(".pack", StringComparison.Ordinal) && !url.Contains("uploadId=", StringComparison.Ordinal),
                "part" => path.EndsWith(".pack", StringComparison.Ordinal) && url.Contains("partNumber=", StringComparison.Ordinal),
                "index" => path.StartsWith(packs, StringComparison.Ordinal) && path.EndsWith(".idx", StringComparison.Ordinal),
                "loose" => !path.StartsWith(packs, StringComparison.Ordinal),
                _ => false,
            };
            if (hit && !done.Task.IsCompleted)
            {
                // Here, on the thread that read the server's line: the request is still being handled.
                child.Kill(entireProcessTree: true);
                lock (_reached)
                {
                    _reached[point]++;
                }

                done.TrySetResult();
            }
        };
        return done.Task;
    }

    /// <inheritdoc/>
    protected override void Disarm() => _armed = null;

    /// <inheritdoc/>
    protected override string Diagnostics() => "\ns3rver's log (last 4,000 characters): " + _s3.Log[^Math.Min(4000, _s3.Log.Length)..];

    /// <inheritdoc/>
    protected override void AfterKills(int kills)
    {
        _output.WriteLine("kills on an upload: " + string.Join(", ", _reached.Skip(1).Select(p => $"{p.Key} {p.Value}")));

        // Every upload point was hit at least once (a run with too few kills to cycle through them checks less).
        if (kills >= Points.Length * 2)
        {
            foreach (var point in Points.Skip(1))
            {
                Assert.True(_reached[point] > 0, $"no kill landed on a {point} upload: {string.Join(", ", _reached.Select(p => $"{p.Key} {p.Value}"))}");
            }
        }

        // What the dead writers left (packs whose index never went up) is gc's: after it, every pack has its index,
        // and the store is still whole.
        static List<string> Orphans(HashSet<string> keys) =>
            keys.Where(k => k.EndsWith(".pack", StringComparison.Ordinal) && !keys.Contains(k[..^".pack".Length] + ".idx")).ToList();
        _output.WriteLine($"packs without an index before gc: {Orphans(Keys()).Count}");
        using var store = CairnStore.Open(Home);
        new GarbageCollector(store).Run(new GcOptions { Grace = TimeSpan.Zero });
        var orphans = Orphans(Keys());
        Assert.True(orphans.Count == 0, "packs without an index after gc: " + string.Join(", ", orphans));
        Assert.True(new Fsck(store).Run().Ok);
    }

    // Every key under the home's prefix, listed straight from the server.
    private HashSet<string> Keys()
    {
        using var client = new Amazon.S3.AmazonS3Client(
            new Amazon.Runtime.BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey),
            new Amazon.S3.AmazonS3Config { ServiceURL = _s3.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var request = new Amazon.S3.Model.ListObjectsV2Request { BucketName = _s3.Bucket, Prefix = _prefix + "/" };
        while (true)
        {
            var page = client.ListObjectsV2Async(request).GetAwaiter().GetResult();
            keys.UnionWith((page.S3Objects ?? []).Select(o => o.Key));
            if (page.IsTruncated != true)
            {
                return keys;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    private static string Point(int round) => Points[round % Points.Length];
}
