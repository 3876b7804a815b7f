using Cairn.Core.Model;

namespace Cairn.Core.Formats.Voc;

/// <summary>
/// Pascal VOC XML: Annotations/, JPEGImages/, ImageSets/Main splits as datasets; difficult, truncated, occluded and pose
/// kept as label tags; boxes only. Corners are 1-based inclusive pixels (see docs/formats.md).
/// </summary>
public sealed class VocFormat : IDatasetFormat
{
    /// <inheritdoc/>
    public string Name => "voc";

    /// <inheritdoc/>
    public ImportedProject Read(string root, ImportOptions options, CancellationToken ct) => VocReader.Read(root, options, ct);

    /// <inheritdoc/>
    public ExportReport Write(ProjectMeta meta, IEnumerable<ExportItem> items, string outDir, ExportOptions options, CancellationToken ct) =>
        VocWriter.Write(items, outDir, options, ct);
}
