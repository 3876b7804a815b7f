using System.Text.Json;
using Cairn.Core.Model;
using Cairn.Operations.Augment;

namespace Cairn.Operations.Annotations;

/// <summary>
/// A checked list of annotation ops bound to a source meta: the new meta is computed once, then
/// <see cref="Apply"/> transforms each item's annotation. JSON: <c>{"ops": [{"op": "renameClass", "from": "a", "to": "b"}]}</c>.
/// </summary>
public sealed class AnnotationTransformer
{
    private readonly List<(AnnotationOp Op, ProjectMeta Before)> _stages = [];

    /// <summary>Binds the ops to <paramref name="source"/>; throws <see cref="ArgumentException"/> naming the op that does not fit.</summary>
    public AnnotationTransformer(IReadOnlyList<AnnotationOp> ops, ProjectMeta source)
    {
        var meta = source;
        for (var i = 0; i < ops.Count; i++)
        {
            var (next, error) = ops[i].ApplyMeta(meta);
            if (next is null)
            {
                throw new ArgumentException($"$.ops[{i}]: {error}", nameof(ops));
            }

            _stages.Add((ops[i], meta));
            meta = next;
        }

        Meta = meta;
    }

    /// <summary>The meta after all ops.</summary>
    public ProjectMeta Meta { get; }

    /// <summary>Parses <c>{"ops": [...]}</c>; errors name <paramref name="source"/>, the line and the JSON path.</summary>
    public static AnnotationTransformer FromJson(string json, ProjectMeta meta, string source = "transform")
    {
        AnnotationOpsDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<AnnotationOpsDocument>(json, AugmentPipeline.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: line {(e.LineNumber ?? 0) + 1}, {e.Path ?? "$"}: {e.Message}", e);
        }

        try
        {
            return new AnnotationTransformer(doc?.Ops ?? [], meta);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{source}: {e.Message.Split(" (Parameter", 2)[0]}", e);
        }
    }

    /// <summary>Transforms one annotation.</summary>
    public Annotation Apply(Annotation annotation)
    {
        foreach (var (op, before) in _stages)
        {
            annotation = op.Apply(annotation, before);
        }

        return annotation;
    }
}
