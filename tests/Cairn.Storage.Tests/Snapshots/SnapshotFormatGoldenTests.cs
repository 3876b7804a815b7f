using System.Text;
using Cairn.Core.Ids;
using Cairn.Storage.Snapshots;

namespace Cairn.Storage.Tests.Snapshots;

/// <summary>
/// Freezes snapshot format version 1. If one of these fails, stored snapshots would no longer read back or dedupe:
/// change <see cref="SnapshotFormat.Version"/> and write a reader for the old version instead of editing the values.
/// </summary>
public sealed class SnapshotFormatGoldenTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    private static ItemEntry Entry(string name, string json, long size)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return new ItemEntry(name, ContentId.Of(Encoding.UTF8.GetBytes("image:" + name)), size, 640, 480, ContentId.Of(bytes), 2, AnnotationTally.Count(bytes), bytes);
    }

    [Theory]

    // Expected values from an independent Python transcription of the documented rule
    // (FNV-1a 64 with basis 14695981039346656037 ^ level * 0x9E3779B97F4A7C15, then the SplitMix64 finaliser).
    [InlineData("", 0, 0xf52a15e9a9b5e89bUL)]
    [InlineData("img_0001.jpg", 0, 0x055f2cf3a852a686UL)]
    [InlineData("img_0001.jpg", 1, 0x82a871f3dfc0ca0bUL)]
    [InlineData("a", 2, 0x66063beb42403a7bUL)]
    public void Key_hash_is_pinned(string key, int level, ulong expected) =>
        Assert.Equal(expected, SnapshotFormat.KeyHash(Encoding.UTF8.GetBytes(key), level));

    [Fact]
    public void Leaf_body_follows_the_documented_layout()
    {
        const string json = "{\"v\":1,\"w\":640,\"h\":480,\"labels\":[{\"class\":\"car\"},{\"class\":\"car\"}]}";
        var e = Entry("a.jpg", json, 300);
        var stored = NodeCodec.EncodeLeaf([e]);

        // Header: "CRNT", version 1, kind 3 (leaf).
        Assert.Equal(new byte[] { 0x43, 0x52, 0x4E, 0x54, 1, 3 }, stored[..6]);

        // Body, built by hand from the layout in NodeCodec's documentation.
        var expected = new List<byte> { 1, 1, 3, (byte)'c', (byte)'a', (byte)'r', 5 };
        expected.AddRange("a.jpg"u8.ToArray());
        expected.AddRange(e.ImageId.Bytes.ToArray());
        expected.AddRange(new byte[] { 0xAC, 0x02, 0x80, 0x05, 0xE0, 0x03 }); // 300, 640, 480 as LEB128
        expected.AddRange(e.AnnotationId.Bytes.ToArray());
        expected.AddRange(new byte[] { 2, 1, 0, 2, (byte)json.Length }); // labels, one tally: class 0 × 2, JSON length
        expected.AddRange(Encoding.UTF8.GetBytes(json));
        Assert.Equal(expected.ToArray(), NodeCodec.Body(ContentId.Of(stored), stored, NodeKind.Leaf));
        var back = NodeCodec.DecodeLeaf(ContentId.Of(stored), stored).Single();
        Assert.True(back.SameContent(e));
        Assert.Equal(e.Classes, back.Classes);
        Assert.Equal(e.AnnotationJson, back.AnnotationJson);
        Assert.Equal((e.ImageSize, e.LabelCount), (back.ImageSize, back.LabelCount));
    }

    [Fact]
    public void Small_snapshot_bytes_are_pinned()
    {
        var nodes = new SnapshotObjects(_home.Store.Objects);
        var tree = new DatasetTree(nodes);
        var train = tree.Build("train", [
            Entry("a.jpg", "{\"v\":1,\"w\":640,\"h\":480,\"labels\":[{\"class\":\"car\"},{\"class\":\"dog\"}]}", 1000),
            Entry("b.jpg", "{\"v\":1,\"w\":640,\"h\":480,\"labels\":[{\"class\":\"car\"},{\"class\":\"car\"}]}", 2000),
        ]);
        var val = tree.Build("val", [Entry("c.jpg", "{\"v\":1,\"w\":640,\"h\":480,\"labels\":[]}", 500)]);
        var root = NodeCodec.EncodeRoot(new RootNode("{\"classes\":[],\"tags\":[]}", [train, val]));

        // Captured from format version 1 when it was introduced; a change here is a format change.
        Assert.Equal(GoldenRoot, Convert.ToHexStringLower(root));
        Assert.Equal(GoldenTrainTree, train.TreeId.ToString());
        Assert.Equal(3L, train.Items + val.Items);
        Assert.Equal(4L, train.Labels);
        Assert.Equal(3500L, train.Bytes + val.Bytes);
    }

    private const string GoldenRoot =
        "43524e54010128b52ffd206c610300187b22636c6173736573223a5b5d2c2274616773223a5b5d7d0205747261696e3d7ae95631a8bf3ef02d961498499584fff96f345a6bbac785d3f37f2b11a8d80204b8170376616c5725c53d63d44423419b8c6a8274e48d683e5c2ecaab597be7c42ec306904d0b0102f403";
    private const string GoldenTrainTree = "3d7ae95631a8bf3ef02d961498499584fff96f345a6bbac785d3f37f2b11a8d8";

    [Fact]
    public void Nodes_of_another_version_or_kind_are_refused()
    {
        var stored = NodeCodec.EncodeIndex(1, []);
        var id = ContentId.Of(stored);
        Assert.Throws<SnapshotFormatException>(() => NodeCodec.DecodeLeaf(id, stored));
        stored[4] = 2;
        var e = Assert.Throws<SnapshotFormatException>(() => NodeCodec.DecodeIndex(id, stored));
        Assert.Contains("format version 2", e.Message);
        Assert.Throws<SnapshotFormatException>(() => NodeCodec.DecodeRoot(id, "not a node"u8));
    }

    [Fact]
    public void Version_2_delta_and_root_bodies_follow_the_documented_layout()
    {
        const string json = "{\"v\":1,\"w\":640,\"h\":480,\"labels\":[{\"class\":\"car\"},{\"class\":\"car\"}]}";
        var e = Entry("a.jpg", json, 300);
        var stored = NodeCodec.EncodeDelta([e], ["gone.jpg"u8.ToArray()]);

        // Header: "CRNT", version 2, kind 4 (delta); body: the leaf body of the puts, then the removed keys.
        Assert.Equal(new byte[] { 0x43, 0x52, 0x4E, 0x54, 2, 4 }, stored[..6]);
        var leaf = NodeCodec.EncodeLeaf([e]);
        var expected = new List<byte>(NodeCodec.Body(ContentId.Of(leaf), leaf, NodeKind.Leaf)) { 1, 8 };
        expected.AddRange("gone.jpg"u8.ToArray());
        Assert.Equal(expected.ToArray(), NodeCodec.Body(ContentId.Of(stored), stored, NodeKind.Delta));

        // A version-2 root: version-1 dataset fields, then a flag and, when set, the delta id.
        var tree = ContentId.Of("tree"u8);
        var delta = ContentId.Of(stored);
        var root = NodeCodec.EncodeRoot(new RootNode("{}", [new DatasetRef("a", tree, 3, 4, 5, delta), new DatasetRef("b", tree, 1, 0, 2)]));
        Assert.Equal(new byte[] { 0x43, 0x52, 0x4E, 0x54, 2, 1 }, root[..6]);
        var body = new List<byte> { 2, (byte)'{', (byte)'}', 2, 1, (byte)'a' };
        body.AddRange(tree.Bytes.ToArray());
        body.AddRange(new byte[] { 3, 4, 5, 1 });
        body.AddRange(delta.Bytes.ToArray());
        body.AddRange(new byte[] { 1, (byte)'b' });
        body.AddRange(tree.Bytes.ToArray());
        body.AddRange(new byte[] { 1, 0, 2, 0 });
        Assert.Equal(body.ToArray(), NodeCodec.Body(ContentId.Of(root), root, NodeKind.Root));
    }
}
