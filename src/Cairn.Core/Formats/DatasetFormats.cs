using Cairn.Core.Formats.Coco;

namespace Cairn.Core.Formats;

/// <summary>The dataset formats Cairn reads and writes, by name.</summary>
public static class DatasetFormats
{
    private static readonly IDatasetFormat[] All = [new CocoFormat()];

    /// <summary>The names of all formats ("coco", "yolo", "voc", "supervisely").</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(f => f.Name).ToArray();

    /// <summary>The format with this name (case-insensitive); throws <see cref="ArgumentException"/> naming the known ones.</summary>
    public static IDatasetFormat Get(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown dataset format '{name}' (expected one of: {string.Join(", ", Names)})", nameof(name));
}
