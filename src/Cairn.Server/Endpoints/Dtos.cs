namespace Cairn.Server.Endpoints;

#pragma warning disable CS1591
/// <summary>A project as the API shows it.</summary>
public sealed record ProjectDto(long Id, string Name, string? Description, int Items, int Labels, int LatestVersion, DateTime CreatedAt, long? OriginVersionId);

/// <summary>A class with its counts.</summary>
public sealed record ClassDto(string Name, string Shape, string Color, int Labels, int Images);

/// <summary>A dataset with its item count.</summary>
public sealed record DatasetDto(long Id, string Path, int Items);

/// <summary>A project with classes, tags and datasets.</summary>
public sealed record ProjectDetailDto(ProjectDto Project, IReadOnlyList<ClassDto> Classes, IReadOnlyList<string> Tags, IReadOnlyList<DatasetDto> Datasets);

/// <summary>An item of a project.</summary>
public sealed record ItemDto(long Id, long ProjectId, long DatasetId, string Name, string ImageId, int Width, int Height, int LabelCount, string ImageUrl, string? EditedBy = null);

/// <summary>An item with its annotation document.</summary>
public sealed record ItemDetailDto(ItemDto Item, System.Text.Json.JsonElement Annotation);
#pragma warning restore CS1591
