using Cairn.Core.Ids;

namespace Cairn.Storage.Snapshots;

/// <summary>A reference from an index page to a child page: the child's last key, id and subtree totals.</summary>
public sealed record PageRef(byte[] LastKey, ContentId Id, long Items, long Labels, long Bytes);
