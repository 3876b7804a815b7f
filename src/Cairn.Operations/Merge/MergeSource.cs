using Cairn.Core.Model;

namespace Cairn.Operations.Merge;

/// <summary>One input of a merge: a name (project or dataset, used in reports and renames), its meta and its items.</summary>
public sealed record MergeSource(string Name, ProjectMeta Meta, IReadOnlyList<ItemRecord> Items);
