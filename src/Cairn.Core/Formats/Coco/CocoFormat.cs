using Cairn.Core.Model;

namespace Cairn.Core.Formats.Coco;

/// <summary>
/// COCO instances JSON: boxes, polygons (one label per part), RLE masks (compressed or not), <c>iscrowd</c>, categories with
/// supercategory, keypoints with skeleton; an image <c>file_name</c> with folders names the dataset. See docs/formats.md.
/// </summary>
public sealed class CocoFormat : IDatasetFormat
{
    /// <inheritdoc/>
    public string Name => "coco";

    /// <inheritdoc/>
    public ImportedProject Read(string root, ImportOptions options, CancellationToken ct) => CocoReader.Read(root, options, ct);

    /// <inheritdoc/>
    public ExportReport Write(ProjectMeta meta, IEnumerable<ExportItem> items, string outDir, ExportOptions options, CancellationToken ct) =>
        CocoWriter.Write(meta, items, outDir, options, ct);
}
