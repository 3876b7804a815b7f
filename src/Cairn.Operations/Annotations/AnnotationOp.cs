using System.Text.Json.Serialization;

namespace Cairn.Operations.Annotations;

/// <summary>One annotation transform: it changes the project meta once and every item's annotation the same way.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op")]
[JsonDerivedType(typeof(RenameClass), "renameClass")]
[JsonDerivedType(typeof(MergeClasses), "mergeClasses")]
[JsonDerivedType(typeof(DropClasses), "dropClasses")]
[JsonDerivedType(typeof(ConvertShape), "convertShape")]
[JsonDerivedType(typeof(DropLabels), "dropLabels")]
[JsonDerivedType(typeof(AddTag), "addTag")]
[JsonDerivedType(typeof(RemoveTag), "removeTag")]
[JsonDerivedType(typeof(RenameTag), "renameTag")]
public abstract record AnnotationOp
{
    /// <summary>The meta after this op; returns an error message naming the class or tag when the op does not fit the meta.</summary>
    public abstract (Core.Model.ProjectMeta? Meta, string? Error) ApplyMeta(Core.Model.ProjectMeta meta);

    /// <summary>The annotation after this op; <paramref name="meta"/> is the meta before it.</summary>
    public abstract Core.Model.Annotation Apply(Core.Model.Annotation annotation, Core.Model.ProjectMeta meta);
}
