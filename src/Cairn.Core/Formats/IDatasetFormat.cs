using Cairn.Core.Model;

namespace Cairn.Core.Formats;

/// <summary>A dataset format on disk that Cairn can read a project from and write a project to.</summary>
public interface IDatasetFormat
{
    /// <summary>The format's short name: "coco", "yolo", "voc" or "supervisely".</summary>
    string Name { get; }

    /// <summary>Reads a project from a folder (archives are extracted first by <see cref="ImportSource"/>); throws <see cref="DatasetFormatException"/> on bad input.</summary>
    ImportedProject Read(string root, ImportOptions options, CancellationToken ct);

    /// <summary>Writes the items and their images under <paramref name="outDir"/>; label kinds the format cannot hold are counted in the report, never dropped silently.</summary>
    ExportReport Write(ProjectMeta meta, IEnumerable<ExportItem> items, string outDir, ExportOptions options, CancellationToken ct);
}
