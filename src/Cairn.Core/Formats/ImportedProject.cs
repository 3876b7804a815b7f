using Cairn.Core.Model;

namespace Cairn.Core.Formats;

/// <summary>What a reader found: the project meta, the items, and warnings about what was skipped or guessed.</summary>
public sealed record ImportedProject(ProjectMeta Meta, IReadOnlyList<ImportedItem> Items, IReadOnlyList<string> Warnings);
