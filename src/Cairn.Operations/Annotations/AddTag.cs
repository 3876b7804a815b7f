using Cairn.Core.Model;

namespace Cairn.Operations.Annotations;

/// <summary>
/// Adds a tag (with an optional value) to images, to labels (of the given classes, all when empty) or both;
/// the tag is defined in the meta when missing. An existing tag of that name is replaced.
/// </summary>
public sealed record AddTag(string Name, string? Value = null) : AnnotationOp
{
    /// <summary>Where to add it.</summary>
    public TagTarget Target { get; init; } = TagTarget.Image;

    /// <summary>For label tags: only labels of these classes; empty means all.</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];

    /// <inheritdoc/>
    public override (ProjectMeta? Meta, string? Error) ApplyMeta(ProjectMeta meta) =>
        meta.FindTag(Name) is not null
            ? (meta, null)
            : (meta with { Tags = [.. meta.Tags, new TagMeta(Name, Value is null ? TagValueType.None : TagValueType.AnyString)] }, null);

    /// <inheritdoc/>
    public override Annotation Apply(Annotation annotation, ProjectMeta meta)
    {
        var tag = new Tag(Name, Value);
        var tags = Target is TagTarget.Image or TagTarget.Both ? With(annotation.Tags, tag) : annotation.Tags;
        var labels = Target is TagTarget.Labels or TagTarget.Both
            ? annotation.Labels.Select(l => Classes.Count == 0 || Classes.Contains(l.ClassName) ? l with { Tags = With(l.Tags, tag) } : l).ToList()
            : annotation.Labels;
        return annotation with { Tags = tags, Labels = labels };
    }

    private static List<Tag> With(IReadOnlyList<Tag> tags, Tag tag) => [.. tags.Where(t => t.Name != tag.Name), tag];
}
