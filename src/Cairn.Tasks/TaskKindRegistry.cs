namespace Cairn.Tasks;

/// <summary>The task kinds a process can run, by name: the <see cref="ITaskKind"/> services of the container (a later one of the same name wins).</summary>
public sealed class TaskKindRegistry
{
    private readonly Dictionary<string, ITaskKind> _kinds = new(StringComparer.Ordinal);

    /// <summary>A registry holding <paramref name="kinds"/>.</summary>
    public TaskKindRegistry(IEnumerable<ITaskKind> kinds)
    {
        foreach (var k in kinds)
        {
            _kinds[k.Kind] = k;
        }
    }

    /// <summary>The kind named <paramref name="name"/>, or null.</summary>
    public ITaskKind? Find(string name) => _kinds.GetValueOrDefault(name);

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names => _kinds.Keys.Order(StringComparer.Ordinal).ToList();
}
