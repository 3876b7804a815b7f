using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Cairn.Core.Formats;

namespace Cairn.Core.Tests.Formats;

public sealed class ArchiveSafetyTests
{
    [Fact]
    public void Tar_gz_with_a_top_folder_extracts_and_is_read_from_inside_it()
    {
        using var tmp = new TempDir();
        var archive = tmp["data.tar.gz"];
        using (var fs = File.Create(archive))
        using (var gz = new GZipStream(fs, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gz))
        {
            AddFile(tar, "coco/ann.json", Encoding.UTF8.GetBytes("{}"));
            AddFile(tar, "coco/img/a.png", TestImages.Png(4, 4));
        }

        using var folder = ImportSource.Open(archive, ImportLimits.Default, tmp["x"]);
        Assert.True(folder.IsExtracted);
        Assert.Equal("coco", Path.GetFileName(folder.Root));
        Assert.True(File.Exists(Path.Combine(folder.Root, "img", "a.png")));
        var extractedAt = Directory.GetParent(folder.Root)!.FullName;
        folder.Dispose();
        Assert.False(Directory.Exists(extractedAt));
    }

    [Fact]
    public void Mac_metadata_is_left_out_so_the_single_top_folder_is_found()
    {
        using var tmp = new TempDir();
        var archive = tmp["mac.zip"];
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Create))
        {
            foreach (var name in new[] { "proj/meta.json", "__MACOSX/proj/._meta.json", "proj/._meta.json", "proj/.DS_Store" })
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write("{}"u8);
            }
        }

        using var folder = ImportSource.Open(archive, ImportLimits.Default, tmp["x"]);
        Assert.Equal("proj", Path.GetFileName(folder.Root));
        Assert.Equal(["meta.json"], Directory.GetFileSystemEntries(folder.Root).Select(Path.GetFileName));
    }

    [Fact]
    public void Zip_slip_entry_is_refused_and_nothing_is_written_outside()
    {
        using var tmp = new TempDir();
        var archive = tmp["slip.zip"];
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry("ok.txt").Open())
            {
                s.Write("fine"u8);
            }

            using (var s = zip.CreateEntry("../../evil.txt").Open())
            {
                s.Write("evil"u8);
            }
        }

        var ex = Assert.Throws<DatasetFormatException>(() => ImportSource.Open(archive, ImportLimits.Default, tmp["x"]));
        Assert.Equal("slip.zip", ex.File);
        Assert.Contains("../../evil.txt", ex.Location);
        Assert.Contains("escapes", ex.Problem);
        Assert.False(File.Exists(tmp["evil.txt"]));
        Assert.Empty(Directory.GetFileSystemEntries(tmp["x"]));
    }

    [Fact]
    public void Absolute_entry_path_is_refused()
    {
        using var tmp = new TempDir();
        var archive = tmp["abs.tar"];
        using (var fs = File.Create(archive))
        using (var tar = new TarWriter(fs))
        {
            AddFile(tar, "/etc/cairn-evil", "x"u8.ToArray());
        }

        var ex = Assert.Throws<DatasetFormatException>(() => ImportSource.Open(archive, ImportLimits.Default, tmp["x"]));
        Assert.Contains("absolute", ex.Problem);
    }

    [Fact]
    public void Tar_symlink_pointing_outside_is_refused()
    {
        using var tmp = new TempDir();
        var archive = tmp["link.tar"];
        using (var fs = File.Create(archive))
        using (var tar = new TarWriter(fs))
        {
            AddFile(tar, "data/a.txt", "a"u8.ToArray());
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "data/passwd") { LinkName = "../../../etc/passwd" });
        }

        var ex = Assert.Throws<DatasetFormatException>(() => ImportSource.Open(archive, ImportLimits.Default, tmp["x"]));
        Assert.Equal("entry 'data/passwd'", ex.Location);
        Assert.Contains("outside", ex.Problem);
    }

    [Fact]
    public void Tar_links_inside_the_archive_become_plain_copies()
    {
        using var tmp = new TempDir();
        var archive = tmp["links.tar"];
        using (var fs = File.Create(archive))
        using (var tar = new TarWriter(fs))
        {
            AddFile(tar, "d/a.txt", "hello"u8.ToArray());
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "d/sym.txt") { LinkName = "a.txt" });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "d/hard.txt") { LinkName = "d/a.txt" });
            AddFile(tar, "d/b.txt", "b"u8.ToArray());
        }

        using var folder = ImportSource.Open(archive, ImportLimits.Default, tmp["x"]);
        foreach (var name in new[] { "sym.txt", "hard.txt" })
        {
            var info = new FileInfo(Path.Combine(folder.Root, name));
            Assert.Null(info.LinkTarget);
            Assert.Equal("hello", File.ReadAllText(info.FullName));
        }
    }

    [Fact]
    public void Decompression_bomb_is_stopped_by_counting_written_bytes()
    {
        // 64 MiB of zeros compress to about 64 KiB; the limit is 1 MiB, so extraction must stop early.
        using var tmp = new TempDir();
        var archive = tmp["bomb.zip"];
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("zeros.bin", CompressionLevel.SmallestSize).Open())
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++)
            {
                s.Write(zeros);
            }
        }

        Assert.True(new FileInfo(archive).Length < 1 << 20);
        var limits = ImportLimits.Default with { MaxArchiveBytes = 1 << 20 };
        var ex = Assert.Throws<DatasetFormatException>(() => ImportSource.Open(archive, limits, tmp["x"]));
        Assert.Contains("limit of 1048576 bytes", ex.Problem);
        Assert.Empty(Directory.GetFileSystemEntries(tmp["x"]));
    }

    [Fact]
    public void Decompression_bomb_under_the_size_limit_is_stopped_by_its_expansion_ratio()
    {
        // 8 MiB of zeros deflate to about 8 KiB (a ratio near 1000): far under the 20 GiB size limit, but with a ratio
        // limit of 100 past the first 1 MiB it must stop, naming the entry and the ratio.
        using var tmp = new TempDir();
        var archive = tmp["ratio.zip"];
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("inner/zeros.bin", CompressionLevel.SmallestSize).Open())
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 8; i++)
            {
                s.Write(zeros);
            }
        }

        var size = new FileInfo(archive).Length;
        Assert.True(size * 100 < 8 << 20, $"the archive ({size} bytes) should compress more than 100:1");
        var limits = ImportLimits.Default with { MaxCompressionRatio = 100, RatioFreeBytes = 1 << 20 };
        var ex = Assert.Throws<DatasetFormatException>(() => ImportSource.Open(archive, limits, tmp["x"]));
        Assert.Equal("entry 'inner/zeros.bin'", ex.Location);
        Assert.Contains("more than 100 times its size", ex.Problem);
        Assert.Empty(Directory.GetFileSystemEntries(tmp["x"]));

        // The same archive under the default ratio (1000) and free allowance (256 MiB) extracts: a legitimate archive of
        // very compressible files is not a bomb.
        using var folder = ImportSource.Open(archive, ImportLimits.Default, tmp["y"]);
        Assert.Equal(8L << 20, new FileInfo(Path.Combine(folder.Root, "zeros.bin")).Length);
    }

    [Fact]
    public void Entry_count_limit_is_enforced()
    {
        using var tmp = new TempDir();
        var archive = tmp["many.tar"];
        using (var fs = File.Create(archive))
        using (var tar = new TarWriter(fs))
        {
            for (var i = 0; i < 11; i++)
            {
                AddFile(tar, $"f{i}.txt", "x"u8.ToArray());
            }
        }

        var ex = Assert.Throws<DatasetFormatException>(() => ImportSource.Open(archive, ImportLimits.Default with { MaxEntries = 10 }, tmp["x"]));
        Assert.Contains("limit of 10", ex.Problem);
    }

    [Fact]
    public void A_file_that_is_no_archive_is_refused_by_its_content()
    {
        using var tmp = new TempDir();
        tmp.Write("fake.zip", "not a zip at all");
        var ex = Assert.Throws<DatasetFormatException>(() => ImportSource.Open(tmp["fake.zip"], ImportLimits.Default));
        Assert.Contains("not an archive", ex.Problem);
    }

    [Fact]
    public void Folder_with_a_symlink_out_of_the_root_is_refused_by_readers()
    {
        using var outside = new TempDir();
        outside.Write("secret.png", TestImages.Png(2, 2));
        using var root = new TempDir();
        root.Write("ann.json", """{"images":[{"id":1,"file_name":"img/secret.png","width":2,"height":2}],"annotations":[],"categories":[]}""");
        Directory.CreateDirectory(root["img"]);
        File.CreateSymbolicLink(root["img/secret.png"], outside["secret.png"]);

        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("coco", root.Path));
        Assert.Equal("img/secret.png", ex.File);
        Assert.Contains("outside", ex.Problem);
    }

    [Fact]
    public void Folder_with_a_linked_folder_out_of_the_root_is_refused_before_reading()
    {
        using var outside = new TempDir();
        outside.Write("train/a.png", TestImages.Png(2, 2));
        using var root = new TempDir();
        root.Write("data.yaml", "names: [cat]\ntrain: images/train\n");
        Directory.CreateDirectory(root["images"]);
        Directory.CreateSymbolicLink(root["images/train"], outside["train"]);

        var ex = Assert.Throws<DatasetFormatException>(() => FormatTestKit.Read("yolo", root.Path));
        Assert.Equal("images/train", ex.File);
        Assert.Contains("outside", ex.Problem);
    }

    [Fact]
    public void Links_that_stay_inside_the_root_are_followed()
    {
        using var root = new TempDir();
        root.Write("data.yaml", "names: [cat]\ntrain: images/train\n");
        root.Write("store/a.png", TestImages.Png(3, 2));
        Directory.CreateDirectory(root["images/train"]);
        File.CreateSymbolicLink(root["images/train/a.png"], root["store/a.png"]);

        var p = FormatTestKit.Read("yolo", root.Path);
        Assert.Equal((3, 2), (p.Items[0].Annotation.Width, p.Items[0].Annotation.Height));
    }

    private static void AddFile(TarWriter tar, string name, byte[] data) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
}
