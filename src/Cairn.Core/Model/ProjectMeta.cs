namespace Cairn.Core.Model;

/// <summary>The classes and tag definitions of a project.</summary>
public sealed record ProjectMeta(IReadOnlyList<ObjClass> Classes, IReadOnlyList<TagMeta> Tags)
{
    /// <summary>A meta with no classes and no tags.</summary>
    public static ProjectMeta Empty { get; } = new([], []);

    /// <summary>The class with this name, or null.</summary>
    public ObjClass? FindClass(string name)
    {
        foreach (var c in Classes)
        {
            if (c.Name == name)
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>The tag definition with this name, or null.</summary>
    public TagMeta? FindTag(string name) => Tags.FirstOrDefault(t => t.Name == name);

    /// <inheritdoc/>
    public bool Equals(ProjectMeta? other) =>
        other is not null && Classes.SequenceEqual(other.Classes) && Tags.SequenceEqual(other.Tags);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Classes.Count, Tags.Count);
}
