using Cairn.Core.Model;

namespace Cairn.Operations.Annotations;

/// <summary>
/// Drops labels (of the given classes, all when empty) whose area is outside [MinArea, MaxArea] or whose confidence
/// is below MinConfidence. Area is the shape's own (box, polygon minus holes, mask pixels); points, lines and
/// keypoints have no area and are never dropped by the area bounds. Labels without a confidence are kept.
/// </summary>
public sealed record DropLabels : AnnotationOp
{
    /// <summary>Smallest kept area in square pixels.</summary>
    public double? MinArea { get; init; }

    /// <summary>Largest kept area in square pixels.</summary>
    public double? MaxArea { get; init; }

    /// <summary>Smallest kept confidence.</summary>
    public double? MinConfidence { get; init; }

    /// <summary>Classes the rule applies to; empty means all.</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];

    /// <inheritdoc/>
    public override (ProjectMeta? Meta, string? Error) ApplyMeta(ProjectMeta meta) =>
        MinArea > MaxArea ? (null, $"dropLabels: minArea {MinArea} is above maxArea {MaxArea}") : (meta, null);

    /// <inheritdoc/>
    public override Annotation Apply(Annotation annotation, ProjectMeta meta) =>
        annotation with { Labels = annotation.Labels.Where(Keep).ToList() };

    private bool Keep(Label l)
    {
        if (Classes.Count > 0 && !Classes.Contains(l.ClassName))
        {
            return true;
        }

        if (MinConfidence is { } c && l.Confidence is { } lc && lc < c)
        {
            return false;
        }

        if (l.Geometry.Kind is GeometryKind.Point or GeometryKind.Polyline or GeometryKind.Keypoints)
        {
            return true;
        }

        var area = l.Geometry.Area();
        return !(area < MinArea) && !(area > MaxArea);
    }
}
