using Cairn.Core.Model;

namespace Cairn.Operations.Annotations;

/// <summary>Removes classes and all their labels.</summary>
public sealed record DropClasses(IReadOnlyList<string> Names) : AnnotationOp
{
    /// <inheritdoc/>
    public override (ProjectMeta? Meta, string? Error) ApplyMeta(ProjectMeta meta)
    {
        var missing = Names.FirstOrDefault(n => meta.FindClass(n) is null);
        return missing is not null
            ? (null, $"dropClasses: class '{missing}' does not exist")
            : (meta with { Classes = meta.Classes.Where(c => !Names.Contains(c.Name)).ToList() }, null);
    }

    /// <inheritdoc/>
    public override Annotation Apply(Annotation annotation, ProjectMeta meta) =>
        annotation with { Labels = annotation.Labels.Where(l => !Names.Contains(l.ClassName)).ToList() };
}
