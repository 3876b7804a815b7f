namespace Cairn.Storage.Snapshots;

/// <summary>The kind byte of a snapshot node.</summary>
public enum NodeKind : byte
{
    /// <summary>Version root: project meta and the datasets.</summary>
    Root = 1,

    /// <summary>Index page: references to child pages of the level below.</summary>
    Index = 2,

    /// <summary>Leaf page: item entries with their annotation documents.</summary>
    Leaf = 3,

    /// <summary>Delta (format version 2): item entries put over a tree, and keys removed from it, sorted by key.</summary>
    Delta = 4,
}
