namespace Cairn.Core.Model;

/// <summary>The annotation of one image: its size, image-level tags and labels.</summary>
public sealed record Annotation(int Width, int Height, IReadOnlyList<Tag> Tags, IReadOnlyList<Label> Labels)
{
    /// <summary>An image without tags or labels.</summary>
    public static Annotation Empty(int width, int height) => new(width, height, [], []);

    /// <inheritdoc/>
    public bool Equals(Annotation? other) =>
        other is not null && Width == other.Width && Height == other.Height
        && Tags.SequenceEqual(other.Tags) && Labels.SequenceEqual(other.Labels);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Width, Height, Tags.Count, Labels.Count);
}
