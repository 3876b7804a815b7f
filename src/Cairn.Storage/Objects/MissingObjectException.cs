using Cairn.Core.Ids;

namespace Cairn.Storage.Objects;

/// <summary>A referenced object is not in the store. Fronts word the remedy.</summary>
public sealed class MissingObjectException(ContentId id)
    : Exception($"object {id} is missing from the object store")
{
    /// <summary>The missing id.</summary>
    public ContentId Id { get; } = id;
}
