using Cairn.Core.Formats.Coco;
using Cairn.Core.Formats.Supervisely;
using Cairn.Core.Formats.Voc;
using Cairn.Core.Formats.Yolo;

namespace Cairn.Core.Formats;

/// <summary>The dataset formats Cairn reads and writes, by name.</summary>
public static class DatasetFormats
{
    private static readonly IDatasetFormat[] All = [new CocoFormat(), new YoloFormat(), new VocFormat(), new SuperviselyFormat()];

    /// <summary>The names of all formats ("coco", "yolo", "voc", "supervisely").</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(f => f.Name).ToArray();

    /// <summary>The format with this name (case-insensitive); throws <see cref="ArgumentException"/> naming the known ones.</summary>
    public static IDatasetFormat Get(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown dataset format '{name}' (expected one of: {string.Join(", ", Names)})", nameof(name));
}
