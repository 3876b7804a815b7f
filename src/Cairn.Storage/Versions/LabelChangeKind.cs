namespace Cairn.Storage.Versions;

/// <summary>How a label differs between two sides of an item's diff.</summary>
public enum LabelChangeKind
{
    /// <summary>The same label on both sides.</summary>
    Same = 0,

    /// <summary>Only after.</summary>
    Added = 1,

    /// <summary>Only before.</summary>
    Removed = 2,

    /// <summary>On both sides, moved, reshaped, reclassed or retagged.</summary>
    Changed = 3,
}
