using Cairn.Core.Model;

namespace Cairn.Core.Formats.Yolo;

/// <summary>
/// The Ultralytics YOLO layout: data.yaml (names as list or map; train/val/test folders or lists relative to 'path'),
/// images/&lt;split&gt;/ and labels/&lt;split&gt;/ with normalised detection and segmentation lines. See docs/formats.md.
/// </summary>
public sealed class YoloFormat : IDatasetFormat
{
    /// <inheritdoc/>
    public string Name => "yolo";

    /// <inheritdoc/>
    public ImportedProject Read(string root, ImportOptions options, CancellationToken ct) => YoloReader.Read(root, options, ct);

    /// <inheritdoc/>
    public ExportReport Write(ProjectMeta meta, IEnumerable<ExportItem> items, string outDir, ExportOptions options, CancellationToken ct) =>
        YoloWriter.Write(meta, items, outDir, options, ct);
}
