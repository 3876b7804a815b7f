namespace Cairn.Operations.Split;

/// <summary>The split items (in input order, unassigned ones left out), the count per part, and the unassigned count.</summary>
public sealed record SplitResult(IReadOnlyList<ItemRecord> Items, IReadOnlyDictionary<string, int> Counts, int Unassigned);
