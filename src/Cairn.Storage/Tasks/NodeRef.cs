namespace Cairn.Storage.Tasks;

/// <summary>A reference to a graph node as a task input or output: kind, catalog id and/or path, display title.</summary>
public sealed record NodeRef(string Kind, long? RefId, string? Path = null, string? Title = null);
