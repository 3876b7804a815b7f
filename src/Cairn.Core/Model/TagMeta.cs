namespace Cairn.Core.Model;

/// <summary>The type of value a tag carries.</summary>
public enum TagValueType
{
    /// <summary>No value: the tag is present or not.</summary>
    None = 0,

    /// <summary>Free text.</summary>
    AnyString = 1,

    /// <summary>A number (stored in invariant culture text).</summary>
    AnyNumber = 2,

    /// <summary>One of <see cref="TagMeta.PossibleValues"/>.</summary>
    OneOf = 3,
}

/// <summary>A tag definition of a project.</summary>
public sealed record TagMeta(string Name, TagValueType ValueType, IReadOnlyList<string>? PossibleValues = null, string? Color = null)
{
    /// <inheritdoc/>
    public bool Equals(TagMeta? other) =>
        other is not null && Name == other.Name && ValueType == other.ValueType && Color == other.Color
        && (PossibleValues ?? []).SequenceEqual(other.PossibleValues ?? []);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, ValueType);
}
