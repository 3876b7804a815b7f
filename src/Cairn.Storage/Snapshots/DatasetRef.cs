using Cairn.Core.Ids;

namespace Cairn.Storage.Snapshots;

/// <summary>
/// A dataset in a version root: its path, the id of its tree's top page, totals of the dataset as it reads, and
/// optionally a delta node whose entries are laid over the tree (format version 2; see <see cref="DatasetTree"/>).
/// </summary>
public sealed record DatasetRef(string Path, ContentId TreeId, long Items, long Labels, long Bytes, ContentId? DeltaId = null)
{
    /// <summary>True when both refs name the same tree and the same delta (so the same content).</summary>
    public bool SameNodes(DatasetRef other) => TreeId == other.TreeId && DeltaId == other.DeltaId;
}
