namespace Cairn.Operations.Split;

/// <summary>One part of a split: its name (dataset or tag) and either a ratio or an exact count of items.</summary>
public sealed record SplitPart(string Name, double? Ratio = null, int? Count = null);
