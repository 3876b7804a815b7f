using Cairn.Core.Model;

namespace Cairn.Operations.Annotations;

/// <summary>Removes a tag from images, labels or both; the definition leaves the meta when it is removed everywhere.</summary>
public sealed record RemoveTag(string Name) : AnnotationOp
{
    /// <summary>Where to remove it.</summary>
    public TagTarget Target { get; init; } = TagTarget.Both;

    /// <inheritdoc/>
    public override (ProjectMeta? Meta, string? Error) ApplyMeta(ProjectMeta meta) =>
        Target == TagTarget.Both ? (meta with { Tags = meta.Tags.Where(t => t.Name != Name).ToList() }, null) : (meta, null);

    /// <inheritdoc/>
    public override Annotation Apply(Annotation annotation, ProjectMeta meta) => annotation with
    {
        Tags = Target is TagTarget.Image or TagTarget.Both ? annotation.Tags.Where(t => t.Name != Name).ToList() : annotation.Tags,
        Labels = Target is TagTarget.Labels or TagTarget.Both
            ? annotation.Labels.Select(l => l.Tags.Any(t => t.Name == Name) ? l with { Tags = l.Tags.Where(t => t.Name != Name).ToList() } : l).ToList()
            : annotation.Labels,
    };
}
