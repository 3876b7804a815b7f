using Cairn.Core.Model;

namespace Cairn.Storage.Versions;

/// <summary>One label of an item's diff: before, after, or both (unchanged or changed).</summary>
public sealed record LabelChange(LabelChangeKind Kind, Label? Before, Label? After);
