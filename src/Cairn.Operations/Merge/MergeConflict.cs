namespace Cairn.Operations.Merge;

/// <summary>A class or tag defined differently by two sources; the first definition is kept, <see cref="Resolution"/> says how.</summary>
public sealed record MergeConflict(string Kind, string Name, string Source, string Detail, string Resolution);
