using Cairn.Core.Model;

namespace Cairn.Operations.Annotations;

/// <summary>Renames a tag on images and labels and in the meta; fails when the new name is already defined.</summary>
public sealed record RenameTag(string From, string To) : AnnotationOp
{
    /// <inheritdoc/>
    public override (ProjectMeta? Meta, string? Error) ApplyMeta(ProjectMeta meta)
    {
        if (From != To && meta.FindTag(To) is not null)
        {
            return (null, $"renameTag: tag '{To}' already exists");
        }

        return (meta with { Tags = meta.Tags.Select(t => t.Name == From ? t with { Name = To } : t).ToList() }, null);
    }

    /// <inheritdoc/>
    public override Annotation Apply(Annotation annotation, ProjectMeta meta) => annotation with
    {
        Tags = Rename(annotation.Tags),
        Labels = annotation.Labels.Select(l => l.Tags.Any(t => t.Name == From) ? l with { Tags = Rename(l.Tags) } : l).ToList(),
    };

    private List<Tag> Rename(IReadOnlyList<Tag> tags) => tags.Select(t => t.Name == From ? t with { Name = To } : t).ToList();
}
