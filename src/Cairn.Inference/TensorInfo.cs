namespace Cairn.Inference;

/// <summary>Name, element type and shape of a model input or output; a dynamic dimension is -1.</summary>
public sealed record TensorInfo(string Name, string ElementType, IReadOnlyList<long> Shape)
{
    /// <summary>The shape as ONNX tools print it, e.g. <c>images[-1, 3, 256, 256]</c>.</summary>
    public override string ToString() => $"{Name}[{string.Join(", ", Shape)}]";

    /// <inheritdoc/>
    public bool Equals(TensorInfo? other) =>
        other is not null && Name == other.Name && ElementType == other.ElementType && Shape.SequenceEqual(other.Shape);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, ElementType, Shape.Count);
}
