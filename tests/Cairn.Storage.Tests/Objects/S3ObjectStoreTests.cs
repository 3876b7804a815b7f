using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Cairn.Core.Formats;
using Cairn.Core.Ids;
using Cairn.Storage.Maintenance;
using Cairn.Storage.Objects;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Cairn.TestSupport;

namespace Cairn.Storage.Tests.Objects;

/// <summary>One s3rver for the S3 store tests (a stand-in for S3 that checks signatures; see S3Server).</summary>
public sealed class S3Fixture : IDisposable
{
    public S3Fixture()
    {
        S3Server.UseTestCredentials();
        Server = new S3Server();
    }

    public S3Server Server { get; }

    public void Dispose() => Server.Dispose();
}

public sealed class S3ObjectStoreTests(S3Fixture fixture) : IClassFixture<S3Fixture>, IDisposable
{
    private readonly S3Server _s3 = fixture.Server;
    private readonly TempDir _dir = new("cairn-s3-test-");
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose() => _dir.Dispose();

    private S3StoreLocation Location => S3StoreLocation.Parse(_s3.Location(_prefix), "test");

    private S3ObjectStore OpenStore(AWSCredentials? credentials = null) =>
        S3ObjectStore.Open(Location, _dir["scratch"], credentials ?? new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey));

    private AmazonS3Client RawClient() => new(new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey),
        new AmazonS3Config { ServiceURL = _s3.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    private static byte[] Blob(int seed, int size = 3000)
    {
        var b = new byte[size];
        new Random(seed).NextBytes(b);
        return b;
    }

    [Fact]
    public async Task Loose_objects_and_packs_round_trip_and_a_packed_object_is_read_by_range()
    {
        using var store = OpenStore();
        var loose = store.Put(Blob(1));
        Assert.True(loose.Added);
        Assert.False(store.Put(Blob(1)).Added);
        Assert.Equal(Blob(1), store.Get(loose.Id));

        using (var pack = store.BeginPack())
        {
            Assert.False(pack.Add(Blob(1)).Added); // already stored loose
            pack.Add(Blob(2));
            pack.Add(Blob(3, 70_000));
            pack.Add(Blob(4));
            pack.Commit();
        }

        // The middle object: a read of the whole pack would not hash to its id (CorruptObjectException).
        Assert.Equal(Blob(3, 70_000), store.Get(ContentId.Of(Blob(3, 70_000))));
        await using (var s = await store.OpenReadAsync(ContentId.Of(Blob(4))))
        {
            using var ms = new MemoryStream();
            await s.CopyToAsync(ms);
            Assert.Equal(Blob(4), ms.ToArray());
        }

        // A second process on the same bucket and prefix sees the pack through its index.
        using var other = OpenStore();
        Assert.True(other.Contains(ContentId.Of(Blob(2))));
        Assert.Equal(Blob(2), other.Get(ContentId.Of(Blob(2))));
        var listed = new List<StoredObject>();
        await foreach (var o in other.ListAsync())
        {
            listed.Add(o);
        }

        Assert.Equal(new[] { 1, 2, 3, 4 }.Select(i => ContentId.Of(Blob(i, i == 3 ? 70_000 : 3000))).ToHashSet(), listed.Select(o => o.Id).ToHashSet());
        Assert.Equal(70_000, listed.Single(o => o.Id == ContentId.Of(Blob(3, 70_000))).Size);
        Assert.Single(other.ListPacks());
        Assert.False(other.Contains(ContentId.Of(Blob(99))));

        // A pack committed by one process is read by another that opened before it (its listing is looked at again).
        using (var pack = store.BeginPack())
        {
            pack.Add(Blob(5));
            pack.Commit();
        }

        Assert.Equal(Blob(5), other.Get(ContentId.Of(Blob(5))));
        Assert.Throws<MissingObjectException>(() => other.Get(ContentId.Of(Blob(99))));
    }

    [Fact]
    public void A_large_object_is_uploaded_in_parts_and_read_back()
    {
        using var store = OpenStore();
        var big = Blob(7, (int)S3ObjectStore.MultipartThreshold + 123_456);
        var path = _dir["big.bin"];
        File.WriteAllBytes(path, big);
        var put = store.PutFile(path);
        Assert.True(put.Added);
        Assert.Equal(big.Length, put.Size);
        Assert.Equal(put.Id, store.HashStored(put.Id));
        Assert.Equal(big, store.Get(put.Id));
    }

    [Fact]
    public async Task A_tampered_object_in_the_bucket_is_detected_on_read_and_by_fsck()
    {
        using var home = new TempDir("cairn-s3-home-");
        long project;
        ContentId image;
        using (var store = CairnStore.Open(home.Path, objectStore: _s3.Location(_prefix)))
        {
            var bytes = Blob(11);
            image = store.Objects.Put(bytes).Id;
            project = new ProjectService(store).CreateWithItems("p", new Core.Model.ProjectMeta([], []), [new NewItem("train", "a.jpg", image, bytes.Length, TempHome.Boxes(1, "car"))])!.Id;
            new VersionService(store).Create(project);
            Assert.True(new Fsck(store).Run().Ok);

            using var raw = RawClient();
            await raw.PutObjectAsync(new PutObjectRequest { BucketName = _s3.Bucket, Key = ((S3ObjectStore)store.Objects).KeyOf(image), InputStream = new MemoryStream("not the image"u8.ToArray()), UseChunkEncoding = false });
        }

        using (var store = CairnStore.Open(home.Path))
        {
            var e = Assert.Throws<CorruptObjectException>(() => store.Objects.Get(image));
            Assert.Equal(image, e.Id);
            var report = new Fsck(store).Run();
            Assert.False(report.Ok);
            Assert.Contains(report.Problems, p => p.Kind == "corrupt" && p.ObjectId == image.ToString());
        }
    }

    [Fact]
    public async Task Listing_more_than_a_page_of_keys_follows_the_continuation_token()
    {
        // S3 answers at most 1,000 keys a page; gc, fsck and the bulk-write listing must read every page.
        using var store = OpenStore();
        var ids = new HashSet<ContentId>();
        Parallel.For(0, 1_050, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var id = store.Put(Blob(100_000 + i, 64)).Id;
            lock (ids)
            {
                ids.Add(id);
            }
        });

        var listed = new HashSet<ContentId>();
        await foreach (var o in store.ListAsync())
        {
            listed.Add(o.Id);
        }

        Assert.Equal(1_050, ids.Count);
        Assert.True(ids.SetEquals(listed), $"listed {listed.Count} of {ids.Count}");
    }

    [Fact]
    public async Task A_truncated_loose_object_left_by_a_dead_writer_is_written_again_not_trusted()
    {
        // What s3rver keeps of a PUT whose writer was killed: the first bytes under the right key. Neither the HEAD
        // nor the bulk-write listing may take it for the object, or a later write of that content would reference it.
        using var raw = RawClient();
        using var store = OpenStore();
        async Task<ContentId> Truncated(byte[] whole)
        {
            var id = ContentId.Of(whole);
            await raw.PutObjectAsync(new PutObjectRequest { BucketName = _s3.Bucket, Key = store.KeyOf(id), InputStream = new MemoryStream(whole[..(whole.Length / 3)]), UseChunkEncoding = false });
            return id;
        }

        var headed = Blob(31);
        var id1 = await Truncated(headed);
        Assert.True(store.Put(headed).Added);
        Assert.Equal(headed, store.Get(id1));

        var listed = Blob(32);
        var id2 = await Truncated(listed);
        store.PrepareWrites(S3ObjectStore.LooseListingMin);
        using (var pack = store.BeginPack())
        {
            Assert.True(pack.Add(listed).Added);
            pack.Commit();
        }

        Assert.Equal(listed, store.Get(id2));

        // A whole one is still recognised (no rewrite), by HEAD and by listing.
        Assert.False(store.Put(headed).Added);
        store.PrepareWrites(S3ObjectStore.LooseListingMin);
        using (var pack = store.BeginPack())
        {
            Assert.False(pack.Add(headed).Added);
            pack.Commit();
        }
    }

    [Fact]
    public void Gc_removes_unreferenced_objects_from_the_bucket_and_keeps_referenced_ones()
    {
        using var home = new TempDir("cairn-s3-home-");
        using var store = CairnStore.Open(home.Path, objectStore: _s3.Location(_prefix));
        var kept = Blob(21);
        var keptId = store.Objects.Put(kept).Id;
        var project = new ProjectService(store).CreateWithItems("p", new Core.Model.ProjectMeta([], []), [new NewItem("train", "a.jpg", keptId, kept.Length, TempHome.Boxes(1, "car"))])!.Id;
        new VersionService(store).Create(project);
        var orphan = store.Objects.Put(Blob(22)).Id;
        using (var pack = store.Objects.BeginPack())
        {
            pack.Add(Blob(23));
            pack.Add(Blob(24));
            pack.Commit();
        }

        Thread.Sleep(1100); // S3 times have one-second resolution: the objects must be older than the cutoff
        var report = new GarbageCollector(store).Run(new GcOptions { Grace = TimeSpan.Zero });
        Assert.Equal(3, report.ObjectsRemoved);
        Assert.False(store.Objects.Contains(orphan));
        Assert.False(store.Objects.Contains(ContentId.Of(Blob(23))));
        Assert.Empty(store.Objects.ListPacks());
        Assert.Equal(kept, store.Objects.Get(keptId));
        Assert.True(new Fsck(store).Run().Ok);
    }

    [Fact]
    public void An_import_and_version_into_an_S3_home_restore_from_it()
    {
        using var home = new TempDir("cairn-s3-home-");
        using (var store = CairnStore.Open(home.Path, objectStore: _s3.Location(_prefix)))
        {
            var imported = new ProjectImporter(store).Import("coco", SharedData.Resolve("tiny-coco"), "tiny", new ImportOptions(ImportLimits.Default, "annotations/instances_val2017.json"));
            Assert.True(imported.Items > 0);
            new VersionService(store).Create(imported.Project.Id);
        }

        Assert.False(Directory.Exists(Path.Combine(home.Path, "objects")), "an S3 home keeps no objects folder");
        Assert.DoesNotContain(S3Server.SecretKey, File.ReadAllText(Path.Combine(home.Path, CairnStore.StoreFile)), StringComparison.Ordinal);

        using (var store = CairnStore.Open(home.Path))
        {
            var versions = new VersionService(store);
            var v1 = versions.List(new ProjectService(store).List().Single().Project.Id).Single();
            var restored = versions.Restore(v1)!;
            var all = versions.ReadAll(v1).ToList();
            Assert.Equal(all.Count, restored.Items);
            foreach (var item in all)
            {
                Assert.Equal(item.ImageId, ContentId.Of(store.Objects.Get(item.ImageId)));
            }

            Assert.True(new Fsck(store).Run().Ok);
        }
    }

    [Fact]
    public void Wrong_or_missing_credentials_give_an_error_naming_the_endpoint_and_bucket()
    {
        var wrong = Assert.Throws<ObjectStoreAccessException>(() => OpenStore(new BasicAWSCredentials("NOTAKEY", "nope")));
        Assert.Equal(ObjectStoreAccessProblem.Credentials, wrong.Problem);
        Assert.Contains(_s3.Endpoint, wrong.Message, StringComparison.Ordinal);
        Assert.Contains($"'{_s3.Bucket}'", wrong.Message, StringComparison.Ordinal);

        var badSecret = Assert.Throws<ObjectStoreAccessException>(() => OpenStore(new BasicAWSCredentials(S3Server.AccessKey, "wrong secret")));
        Assert.Equal(ObjectStoreAccessProblem.Credentials, badSecret.Problem);

        var anonymous = Assert.Throws<ObjectStoreAccessException>(() => OpenStore(new AnonymousAWSCredentials()));
        Assert.Equal(ObjectStoreAccessProblem.Credentials, anonymous.Problem);
        Assert.Contains(_s3.Endpoint, anonymous.Message, StringComparison.Ordinal);

        var noBucket = Assert.Throws<ObjectStoreAccessException>(() => S3ObjectStore.Open(S3StoreLocation.Parse($"s3://no-such-bucket/x?endpoint={_s3.Endpoint}&path-style=true", "test"), _dir["scratch"], new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey)));
        Assert.Equal(ObjectStoreAccessProblem.NoSuchBucket, noBucket.Problem);
        Assert.Contains("no-such-bucket", noBucket.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_home_keeps_its_store_and_refuses_another()
    {
        using var home = new TempDir("cairn-s3-home-");
        CairnStore.Open(home.Path, objectStore: _s3.Location(_prefix)).Dispose();
        Assert.Equal(_s3.Location(_prefix), File.ReadAllText(Path.Combine(home.Path, CairnStore.StoreFile)).Trim());

        using (var again = CairnStore.Open(home.Path))
        {
            Assert.IsType<S3ObjectStore>(again.Objects); // recorded, not asked again
        }

        CairnStore.Open(home.Path, objectStore: _s3.Location(_prefix)).Dispose(); // the same store, asked again
        var other = Assert.Throws<StoreConfigurationException>(() => CairnStore.Open(home.Path, objectStore: _s3.Location("elsewhere")));
        Assert.Equal(StoreProblem.RecordedStoreNotAsked, other.Problem);
        Assert.Contains("elsewhere", other.Message, StringComparison.Ordinal);
        var local = Assert.Throws<StoreConfigurationException>(() => CairnStore.Open(home.Path, objectStore: "local"));
        Assert.Equal(StoreProblem.RecordedStoreNotAsked, local.Problem);

        using var localHome = new TempDir("cairn-s3-home-");
        CairnStore.Open(localHome.Path).Dispose();
        var @switch = Assert.Throws<StoreConfigurationException>(() => CairnStore.Open(localHome.Path, objectStore: _s3.Location(_prefix)));
        Assert.Equal(StoreProblem.LocalCannotSwitch, @switch.Problem);
        Assert.False(File.Exists(Path.Combine(localHome.Path, CairnStore.StoreFile)));

        var bad = Assert.Throws<StoreConfigurationException>(() => CairnStore.Open(_dir["new"], objectStore: "s3://Bad_Bucket/x"));
        Assert.Equal(StoreProblem.NotAStoreLocation, bad.Problem);
        Assert.Contains("bucket 'Bad_Bucket'", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_presigned_url_fetches_a_loose_object_without_credentials()
    {
        using var store = OpenStore();
        var put = store.Put(Blob(31));
        var url = store.PresignedUrl(put.Id, TimeSpan.FromMinutes(5));
        Assert.NotNull(url);
        using var http = new HttpClient();
        Assert.Equal(Blob(31), await http.GetByteArrayAsync(url));
        Assert.Null(store.PresignedUrl(ContentId.Of(Blob(32)), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task With_presign_an_import_stores_images_loose_so_each_has_a_url_that_serves_an_image()
    {
        using var home = new TempDir("cairn-s3-home-");
        using var store = CairnStore.Open(home.Path, objectStore: _s3.Location(_prefix) + "&presign=600");
        var s3 = Assert.IsType<S3ObjectStore>(store.Objects);
        Assert.Equal(TimeSpan.FromMinutes(10), s3.Presign);
        Assert.Equal(new Uri(_s3.Endpoint), s3.PresignOrigin);
        var imported = new ProjectImporter(store).Import("coco", SharedData.Resolve("tiny-coco"), "tiny", new ImportOptions(ImportLimits.Default, "annotations/instances_val2017.json"));
        var items = new ProjectService(store).Items(imported.Project.Id, take: 1000);
        Assert.Equal(imported.Items, items.Count);
        Assert.Empty(s3.ListPacks()); // no pack: every image is a loose object

        using var http = new HttpClient();
        foreach (var item in items.Take(3))
        {
            var id = ContentId.FromBytes(item.ImageId);
            var url = s3.PresignedUrl(id, s3.Presign!.Value);
            Assert.NotNull(url);
            using var r = await http.GetAsync(url);
            Assert.Equal("image/jpeg", r.Content.Headers.ContentType?.MediaType); // stored with the type its bytes have
            Assert.Equal(id, ContentId.Of(await r.Content.ReadAsByteArrayAsync()));
        }

        Assert.True(new Fsck(store).Run().Ok);
    }

    [Fact]
    public void Presign_can_be_turned_on_for_a_home_but_packed_images_keep_being_served_through_cairn()
    {
        using var home = new TempDir("cairn-s3-home-");
        long project;
        using (var store = CairnStore.Open(home.Path, objectStore: _s3.Location(_prefix)))
        {
            project = new ProjectImporter(store).Import("coco", SharedData.Resolve("tiny-coco"), "tiny", new ImportOptions(ImportLimits.Default, "annotations/instances_val2017.json")).Project.Id;
        }

        using (var store = CairnStore.Open(home.Path, objectStore: _s3.Location(_prefix) + "&presign=300"))
        {
            Assert.EndsWith("&presign=300", File.ReadAllText(Path.Combine(home.Path, CairnStore.StoreFile)).Trim(), StringComparison.Ordinal);
            var s3 = Assert.IsType<S3ObjectStore>(store.Objects);
            var image = ContentId.FromBytes(new ProjectService(store).Items(project, take: 1)[0].ImageId);
            Assert.Null(s3.PresignedUrl(image, TimeSpan.FromMinutes(5))); // imported before: in a pack, which a URL cannot name
        }

        using (var store = CairnStore.Open(home.Path))
        {
            Assert.Equal(TimeSpan.FromMinutes(5), Assert.IsType<S3ObjectStore>(store.Objects).Presign); // remembered
        }

        var other = Assert.Throws<StoreConfigurationException>(() => CairnStore.Open(home.Path, objectStore: _s3.Location("elsewhere") + "&presign=300"));
        Assert.Equal(StoreProblem.RecordedStoreNotAsked, other.Problem);
        CairnStore.Open(home.Path, objectStore: _s3.Location(_prefix)).Dispose(); // and off again
        Assert.Equal(_s3.Location(_prefix), File.ReadAllText(Path.Combine(home.Path, CairnStore.StoreFile)).Trim());
    }

    [Fact]
    public void A_bulk_write_lists_the_loose_objects_once_instead_of_asking_a_HEAD_for_each()
    {
        using var server = new S3Server(logRequests: true);
        var requests = new List<string>();
        server.RequestArrived += line =>
        {
            lock (requests)
            {
                requests.Add(line);
            }
        };
        var location = S3StoreLocation.Parse(server.Location("bulk"), "test");
        var credentials = new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey);
        using var store = S3ObjectStore.Open(location, _dir["scratch"], credentials);
        using var other = S3ObjectStore.Open(location, _dir["scratch2"], credentials);
        var before = store.Put(Blob(500)); // stored loose before the listing
        int Heads()
        {
            lock (requests)
            {
                var n = requests.Count(r => r.StartsWith("HEAD ", StringComparison.Ordinal));
                requests.Clear();
                return n;
            }
        }

        // Without the hint: one HEAD per object written.
        Heads();
        using (var pack = store.BeginPack())
        {
            for (var i = 0; i < 50; i++)
            {
                pack.Add(Blob(1000 + i));
            }

            pack.Commit();
        }

        Assert.Equal(50, Heads());

        // With it: one listing, no HEAD; what the listing holds is still known, what it lacks is written.
        store.PrepareWrites(S3ObjectStore.LooseListingMin);
        var after = other.Put(Blob(501)); // stored loose by another process after the listing
        Heads();
        PutResult again, late;
        using (var pack = store.BeginPack())
        {
            for (var i = 0; i < S3ObjectStore.LooseListingMin; i++)
            {
                Assert.True(pack.Add(Blob(2000 + i)).Added);
            }

            again = pack.Add(Blob(500));
            late = pack.Add(Blob(501));
            pack.Commit();
        }

        Assert.Equal(0, Heads());
        Assert.False(again.Added); // in the listing: renewed (a copy), not written again
        Assert.True(late.Added); // not in it: written into the pack too, a second copy that reads the same
        Assert.Equal(Blob(501), store.Get(after.Id));
        Assert.Equal(Blob(2000), store.Get(ContentId.Of(Blob(2000))));
        Assert.Equal(before.Id, again.Id);

        // A small write is not worth a listing: HEADs again.
        using var fresh = S3ObjectStore.Open(location, _dir["scratch3"], credentials);
        fresh.PrepareWrites(S3ObjectStore.LooseListingMin - 1);
        Heads();
        fresh.Put(Blob(3000));
        Assert.Equal(1, Heads());
    }
}
