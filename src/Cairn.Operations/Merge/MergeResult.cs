using Cairn.Core.Model;

namespace Cairn.Operations.Merge;

/// <summary>The merged meta and items, with every class or tag conflict, duplicate image and renamed item reported.</summary>
public sealed record MergeResult(
    ProjectMeta Meta,
    IReadOnlyList<ItemRecord> Items,
    IReadOnlyList<MergeConflict> Conflicts,
    IReadOnlyList<DuplicateImage> Duplicates,
    IReadOnlyList<string> RenamedItems);
