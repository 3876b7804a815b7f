namespace Cairn.Storage.Versions;

/// <summary>A page of a version's items, with the total the paging runs over.</summary>
public sealed record VersionPage(long Total, long Skip, IReadOnlyList<VersionItem> Items);
