namespace Cairn.Storage.Versions;

/// <summary>A version's item with its position in the whole version (datasets in path order, items in name order).</summary>
public sealed record IndexedVersionItem(long Index, VersionItem Item);
