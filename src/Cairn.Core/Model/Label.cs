namespace Cairn.Core.Model;

/// <summary>One annotated object: its class, geometry, tags and, for predictions, a confidence in [0, 1].</summary>
public sealed record Label(string ClassName, Geometry Geometry, IReadOnlyList<Tag> Tags, double? Confidence = null)
{
    /// <summary>A label without tags.</summary>
    public Label(string className, Geometry geometry)
        : this(className, geometry, [], null)
    {
    }

    /// <inheritdoc/>
    public bool Equals(Label? other) =>
        other is not null && ClassName == other.ClassName && Geometry.Equals(other.Geometry)
        && Tags.SequenceEqual(other.Tags) && Confidence == other.Confidence;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ClassName, Geometry, Tags.Count, Confidence);
}
