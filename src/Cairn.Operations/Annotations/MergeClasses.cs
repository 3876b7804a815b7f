using Cairn.Core.Model;

namespace Cairn.Operations.Annotations;

/// <summary>
/// Joins classes into one: their labels take the name <see cref="Into"/> (an existing class, or a new one with the
/// colour of the first source). The merged class keeps a shape only when all merged classes share it, else Any.
/// </summary>
public sealed record MergeClasses(IReadOnlyList<string> Sources, string Into) : AnnotationOp
{
    /// <inheritdoc/>
    public override (ProjectMeta? Meta, string? Error) ApplyMeta(ProjectMeta meta)
    {
        var sources = new List<ObjClass>();
        foreach (var name in Sources)
        {
            var c = meta.FindClass(name);
            if (c is null)
            {
                return (null, $"mergeClasses: class '{name}' does not exist");
            }

            sources.Add(c);
        }

        if (sources.Count == 0)
        {
            return (null, "mergeClasses: sources is empty");
        }

        var target = meta.FindClass(Into);
        var all = target is null ? sources : [target, .. sources];
        var shape = all.Select(c => c.Shape).Distinct().Count() == 1 ? all[0].Shape : GeometryKind.Any;
        var merged = (target ?? sources[0]) with { Name = Into, Shape = shape };
        var classes = new List<ObjClass>();
        var placed = false;
        foreach (var c in meta.Classes)
        {
            if (c.Name == Into || Sources.Contains(c.Name))
            {
                if (!placed)
                {
                    classes.Add(merged);
                    placed = true;
                }

                continue;
            }

            classes.Add(c);
        }

        return (meta with { Classes = classes }, null);
    }

    /// <inheritdoc/>
    public override Annotation Apply(Annotation annotation, ProjectMeta meta) =>
        annotation with { Labels = annotation.Labels.Select(l => Sources.Contains(l.ClassName) ? l with { ClassName = Into } : l).ToList() };
}
