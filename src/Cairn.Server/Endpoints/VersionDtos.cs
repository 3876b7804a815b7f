using Cairn.Storage.Versions;

namespace Cairn.Server.Endpoints;

#pragma warning disable CS1591
/// <summary>A version as the API shows it.</summary>
public sealed record VersionDto(long Id, long ProjectId, int Number, string? Title, string? Description, string? Author, DateTime CreatedAt, string RootId, long Items, long Labels, long TotalBytes, long NewBytes)
{
    public static VersionDto From(VersionSummary v) => new(v.Id, v.ProjectId, v.Number, v.Title, v.Description, v.Author, v.CreatedAt, v.RootId.ToString(), v.Items, v.Labels, v.TotalBytes, v.NewBytes);
}

/// <summary>A version with its statistics.</summary>
public sealed record VersionDetailDto(VersionDto Version, VersionStats Stats);

/// <summary>Body of a version create.</summary>
public sealed record CreateVersionRequest(string? Title, string? Description, string? Author);

/// <summary>The outcome of a version create: created, or the existing version when nothing changed.</summary>
public sealed record CreateVersionResponse(bool Created, VersionDto Version, long ElapsedMs);

/// <summary>Body of a restore.</summary>
public sealed record RestoreRequest(string? Name);

/// <summary>The project a restore created.</summary>
public sealed record RestoreResponse(long ProjectId, string ProjectName, long Items, VersionDto Version, long ElapsedMs);

/// <summary>A page of a version's items.</summary>
public sealed record VersionItemsDto(long Total, long Skip, IReadOnlyList<VersionItemDto> Items);

/// <summary>An item of a version with its annotation document and its position in the version (its page: /projects/{id}/versions/{n}/items/{index}).</summary>
public sealed record VersionItemDto(string Dataset, string Name, string ImageId, int Width, int Height, int Labels, System.Text.Json.JsonElement Annotation, string ImageUrl, long Index);

/// <summary>A diff with its summary counts.</summary>
public sealed record VersionDiffDto(string From, string To, bool MetaChanged, int Added, int Removed, int Changed, int ImagesChanged, int LabelsChanged, VersionDiff Items);
#pragma warning restore CS1591
