namespace Cairn.Storage.Versions;

/// <summary>
/// What a version changed against the version before it, counted while its tree was patched: items added, removed and
/// changed (image or labels), and whether the project meta changed. The same counts a diff of the two versions gives,
/// recorded so that the history does not compute a diff per version on every look.
/// </summary>
public sealed record VersionChanges(long Added, long Removed, long Changed, bool MetaChanged)
{
    /// <summary>Nothing changed.</summary>
    public bool IsEmpty => Added == 0 && Removed == 0 && Changed == 0 && !MetaChanged;
}
