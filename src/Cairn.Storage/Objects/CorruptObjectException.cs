using Cairn.Core.Ids;

namespace Cairn.Storage.Objects;

/// <summary>An object's content no longer hashes to its id: corruption or tampering. Fronts word the remedy.</summary>
public sealed class CorruptObjectException(ContentId id, ContentId actual)
    : Exception($"object {id} is corrupt: its content hashes to {actual}")
{
    /// <summary>The id the object was stored under.</summary>
    public ContentId Id { get; } = id;

    /// <summary>The hash of what is stored now.</summary>
    public ContentId Actual { get; } = actual;
}
