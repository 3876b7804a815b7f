using Cairn.Core.Ids;

namespace Cairn.Storage.Objects;

/// <summary>An object's content no longer hashes to its id: corruption or tampering.</summary>
public sealed class CorruptObjectException(ContentId id, ContentId actual)
    : Exception($"Object {id} is corrupt: its content hashes to {actual}. Run `cairn fsck` to list damaged objects and restore them from a backup.")
{
    /// <summary>The id the object was stored under.</summary>
    public ContentId Id { get; } = id;

    /// <summary>The hash of what is stored now.</summary>
    public ContentId Actual { get; } = actual;
}
