using Cairn.Core.Ids;

namespace Cairn.Storage.Snapshots;

/// <summary>A dataset in a version root: its path, the id of its tree's top page, and totals.</summary>
public sealed record DatasetRef(string Path, ContentId TreeId, long Items, long Labels, long Bytes);
