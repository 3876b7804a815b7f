namespace Cairn.Core.Formats.Internal;

/// <summary>Counts what a writer wrote and what it could not, for <see cref="ExportReport"/>.</summary>
internal sealed class ReportBuilder
{
    private readonly SortedDictionary<string, int> _unsupported = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, int> _warningCounts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tallied = new(StringComparer.Ordinal);

    public int Items { get; set; }

    public int Labels { get; set; }

    public void Unsupported(string kind) => _unsupported[kind] = _unsupported.GetValueOrDefault(kind) + 1;

    /// <summary>Counts a warning by its text; the report lists each text once with its count.</summary>
    public void Warn(string text)
    {
        if (!_warningCounts.TryGetValue(text, out var n))
        {
            _warnings.Add(text);
        }

        _warningCounts[text] = n + 1;
    }

    /// <summary>Counts a conversion; the report says it once as "N <paramref name="text"/>", e.g. "402 polygon labels written as …".</summary>
    public void Tally(string text)
    {
        _tallied.Add(text);
        Warn(text);
    }

    public ExportReport Build()
    {
        // Kinds not written are reported once, in UnsupportedLabelKinds, not again among the warnings.
        var warnings = _warnings.Select(w => _tallied.Contains(w) ? $"{_warningCounts[w]} {w}" : _warningCounts[w] > 1 ? $"{w} ({_warningCounts[w]} times)" : w).ToList();
        return new ExportReport(Items, Labels, new Dictionary<string, int>(_unsupported), warnings);
    }
}
