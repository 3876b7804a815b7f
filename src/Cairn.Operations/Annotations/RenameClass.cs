using Cairn.Core.Model;

namespace Cairn.Operations.Annotations;

/// <summary>Renames a class; fails when the new name is taken (use <see cref="MergeClasses"/> to join classes).</summary>
public sealed record RenameClass(string From, string To) : AnnotationOp
{
    /// <inheritdoc/>
    public override (ProjectMeta? Meta, string? Error) ApplyMeta(ProjectMeta meta)
    {
        if (meta.FindClass(From) is null)
        {
            return (null, $"renameClass: class '{From}' does not exist");
        }

        if (From != To && meta.FindClass(To) is not null)
        {
            return (null, $"renameClass: class '{To}' already exists; use mergeClasses to join '{From}' into it");
        }

        return (meta with { Classes = meta.Classes.Select(c => c.Name == From ? c with { Name = To } : c).ToList() }, null);
    }

    /// <inheritdoc/>
    public override Annotation Apply(Annotation annotation, ProjectMeta meta) =>
        annotation with { Labels = annotation.Labels.Select(l => l.ClassName == From ? l with { ClassName = To } : l).ToList() };
}
