using Cairn.Core.Ids;
using Cairn.Core.Model;
using Cairn.Storage.Snapshots;

namespace Cairn.Storage.Versions;

/// <summary>One item of a version, read from its snapshot: for browsing and export.</summary>
public sealed record VersionItem(
    string Dataset,
    string Name,
    ContentId ImageId,
    long ImageSize,
    int Width,
    int Height,
    ContentId AnnotationId,
    int LabelCount,
    string AnnotationText)
{
    /// <summary>Parses the canonical annotation document.</summary>
    public Annotation ParseAnnotation() => Cairn.Core.Serialization.AnnotationJson.Parse(AnnotationText);

    internal static VersionItem From(string dataset, ItemEntry e) => new(
        dataset, e.Name, e.ImageId, e.ImageSize, e.Width, e.Height, e.AnnotationId, e.LabelCount, System.Text.Encoding.UTF8.GetString(e.AnnotationJson));
}
