namespace Cairn.Operations.Merge;

/// <summary>How to merge: class renames, whether each source's datasets go under a folder named after it, and whether to drop duplicate images.</summary>
public sealed record MergeOptions
{
    /// <summary>Renames applied to a source's classes before classes are matched by name.</summary>
    public IReadOnlyList<ClassRename> Renames { get; init; } = [];

    /// <summary>Put each source's datasets under <c>{source name}/</c>; otherwise datasets of the same name merge.</summary>
    public bool DatasetPerSource { get; init; }

    /// <summary>Put every item into this one dataset (item names made unique); null keeps the sources' datasets.</summary>
    public string? IntoDataset { get; init; }

    /// <summary>Keep only the first occurrence of an image content id (later ones are reported either way).</summary>
    public bool SkipDuplicates { get; init; }
}
