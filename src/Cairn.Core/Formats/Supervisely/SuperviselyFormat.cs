using Cairn.Core.Model;

namespace Cairn.Core.Formats.Supervisely;

/// <summary>
/// The Supervisely project format: meta.json (classes with shape, colour and graph templates; tag definitions) and
/// &lt;dataset&gt;/ann/*.json beside &lt;dataset&gt;/img/; holds every Cairn label kind. See docs/formats.md.
/// </summary>
public sealed class SuperviselyFormat : IDatasetFormat
{
    /// <inheritdoc/>
    public string Name => "supervisely";

    /// <inheritdoc/>
    public ImportedProject Read(string root, ImportOptions options, CancellationToken ct) => SlyReader.Read(root, options, ct);

    /// <inheritdoc/>
    public ExportReport Write(ProjectMeta meta, IEnumerable<ExportItem> items, string outDir, ExportOptions options, CancellationToken ct) =>
        SlyWriter.Write(meta, items, outDir, options, ct);
}
