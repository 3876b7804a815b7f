namespace Cairn.Storage.Versions;

/// <summary>What changed between two snapshots (a version, or a project's working state).</summary>
public sealed record VersionDiff(
    string From,
    string To,
    bool MetaChanged,
    IReadOnlyList<DiffItem> Added,
    IReadOnlyList<DiffItem> Removed,
    IReadOnlyList<ChangedItem> Changed,
    IReadOnlyList<ClassDelta> Classes)
{
    /// <summary>Changed items whose image changed.</summary>
    public int ImagesChanged => Changed.Count(c => c.ImageChanged);

    /// <summary>Changed items whose labels (annotation) changed.</summary>
    public int LabelsChanged => Changed.Count(c => c.LabelsChanged);

    /// <summary>True when both sides hold the same content.</summary>
    public bool IsEmpty => !MetaChanged && Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0;
}

/// <summary>An item present on one side only.</summary>
public sealed record DiffItem(string Dataset, string Name, string ImageId, int Labels);

/// <summary>An item present on both sides with different content.</summary>
public sealed record ChangedItem(string Dataset, string Name, bool ImageChanged, bool LabelsChanged, int LabelsBefore, int LabelsAfter);

/// <summary>Label and image counts of one class before and after.</summary>
public sealed record ClassDelta(string ClassName, long LabelsBefore, long LabelsAfter, long ImagesBefore, long ImagesAfter);
