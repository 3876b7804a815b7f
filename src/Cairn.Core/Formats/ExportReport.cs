namespace Cairn.Core.Formats;

/// <summary>What a writer wrote: item and label counts, labels it could not write counted per kind, and warnings about lossy conversions.</summary>
public sealed record ExportReport(int Items, int Labels, IReadOnlyDictionary<string, int> UnsupportedLabelKinds, IReadOnlyList<string> Warnings);
