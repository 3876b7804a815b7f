namespace Cairn.Storage.Versions;

/// <summary>A dataset's totals in a version.</summary>
public sealed record DatasetStat(string Path, long Items, long Labels, long Bytes);
