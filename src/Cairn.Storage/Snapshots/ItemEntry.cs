using Cairn.Core.Ids;

namespace Cairn.Storage.Snapshots;

/// <summary>
/// One item as a snapshot stores it: name, image, size, the canonical annotation document and its id,
/// and per-class label counts so statistics and diffs never parse annotations.
/// </summary>
public sealed record ItemEntry(
    string Name,
    ContentId ImageId,
    long ImageSize,
    int Width,
    int Height,
    ContentId AnnotationId,
    int LabelCount,
    LabelTally[] Classes,
    byte[] AnnotationJson)
{
    /// <summary>The key the tree orders by: the name's UTF-8 bytes.</summary>
    public byte[] Key { get; } = System.Text.Encoding.UTF8.GetBytes(Name);

    /// <summary>True when both entries describe the same content (ids, size, dimensions).</summary>
    public bool SameContent(ItemEntry other) =>
        ImageId == other.ImageId && AnnotationId == other.AnnotationId && Width == other.Width && Height == other.Height && Name == other.Name;
}

/// <summary>How many labels of one class an item has.</summary>
public readonly record struct LabelTally(string ClassName, int Count);
