namespace Cairn.Storage.Versions;

/// <summary>A page of a version's items that matched a query, with how many matched in all.</summary>
public sealed record VersionMatches(long Total, IReadOnlyList<IndexedVersionItem> Items);

