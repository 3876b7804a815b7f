namespace Cairn.Operations.Merge;

/// <summary>Renames class <see cref="From"/> of source <see cref="Source"/> to <see cref="To"/> while merging.</summary>
public sealed record ClassRename(string Source, string From, string To);
