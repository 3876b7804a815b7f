using Cairn.Core.Ids;

namespace Cairn.Storage.Maintenance;

/// <summary>Thrown by gc when a version tree cannot be read: collecting then could delete what that tree needs.</summary>
public sealed class UnreadableTreeException(string referrer, ContentId id, Exception inner)
    : Exception($"gc stopped before removing anything: {referrer} refers to {id}, which cannot be read ({inner.Message})", inner)
{
    /// <summary>What refers to the unreadable node (a version or the working state, in words).</summary>
    public string Referrer { get; } = referrer;

    /// <summary>The node that cannot be read.</summary>
    public ContentId Id { get; } = id;
}
