namespace Cairn.Storage.Snapshots;

/// <summary>A version's root node: the project meta (canonical JSON) and its datasets ordered by path.</summary>
public sealed record RootNode(string MetaJson, IReadOnlyList<DatasetRef> Datasets);
