namespace Cairn.Operations.Annotations;

/// <summary>The JSON document of an annotation transform: <c>{"version": 1, "ops": [...]}</c>.</summary>
public sealed record AnnotationOpsDocument
{
    /// <summary>Format version; 1.</summary>
    public int Version { get; init; } = 1;

    /// <summary>The ops, in order.</summary>
    public IReadOnlyList<AnnotationOp> Ops { get; init; } = [];
}
