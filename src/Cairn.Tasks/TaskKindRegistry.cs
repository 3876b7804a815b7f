namespace Cairn.Tasks;

/// <summary>The task kinds a process can run, by name.</summary>
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

    /// <summary>The built-in kinds: import and filter.</summary>
    public static TaskKindRegistry Default() => new([new Kinds.ImportTaskKind(), new Kinds.FilterTaskKind(), new Kinds.PredictTaskKind(), new Kinds.BenchmarkTaskKind(), new Kinds.GenerateTaskKind(), new Kinds.AugmentTaskKind(), new Kinds.SplitTaskKind(), new Kinds.TransformTaskKind(), new Kinds.MergeTaskKind(), new Kinds.CopyPasteTaskKind()]);

    /// <summary>Adds or replaces a kind.</summary>
    public TaskKindRegistry Add(ITaskKind kind)
    {
        _kinds[kind.Kind] = kind;
        return this;
    }

    /// <summary>The kind named <paramref name="name"/>, or null.</summary>
    public ITaskKind? Find(string name) => _kinds.GetValueOrDefault(name);

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names => _kinds.Keys.Order(StringComparer.Ordinal).ToList();
}
