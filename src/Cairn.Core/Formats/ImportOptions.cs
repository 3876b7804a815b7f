namespace Cairn.Core.Formats;

/// <summary>Options of a read: the limits on untrusted input and, for COCO, the annotation file to read (relative to the root).</summary>
public sealed record ImportOptions(ImportLimits Limits, string? AnnotationsFile = null)
{
    /// <summary>Default limits, annotation file found automatically.</summary>
    public static ImportOptions Default { get; } = new(ImportLimits.Default);
}
