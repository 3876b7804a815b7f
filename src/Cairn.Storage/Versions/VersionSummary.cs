using Cairn.Core.Ids;
using Cairn.Storage.Catalog;

namespace Cairn.Storage.Versions;

/// <summary>A version as the service returns it: catalog fields plus parsed statistics.</summary>
public sealed record VersionSummary(
    long Id,
    long ProjectId,
    int Number,
    string? Title,
    string? Description,
    string? Author,
    DateTime CreatedAt,
    ContentId RootId,
    long ChangeSeq,
    long Items,
    long Labels,
    long TotalBytes,
    long NewBytes,
    VersionStats Stats,
    long? CreatedByTaskId)
{
    /// <summary>Maps a catalog row.</summary>
    public static VersionSummary From(VersionRow v) => new(
        v.Id, v.ProjectId, v.Number, v.Title, v.Description, v.Author, v.CreatedAt, ContentId.FromBytes(v.RootId), v.ChangeSeq,
        v.ItemCount, v.LabelCount, v.TotalBytes, v.NewBytes, VersionStats.Parse(v.StatsJson), v.CreatedByTaskId);
}
