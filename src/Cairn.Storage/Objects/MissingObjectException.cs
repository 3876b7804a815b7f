using Cairn.Core.Ids;

namespace Cairn.Storage.Objects;

/// <summary>A referenced object is not in the store.</summary>
public sealed class MissingObjectException(ContentId id)
    : Exception($"Object {id} is missing from the object store. Run `cairn fsck` to list what is missing.")
{
    /// <summary>The missing id.</summary>
    public ContentId Id { get; } = id;
}
