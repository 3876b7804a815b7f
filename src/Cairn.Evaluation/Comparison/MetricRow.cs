namespace Cairn.Evaluation.Comparison;

/// <summary>One compared number: its value per evaluation (NaN when missing), which direction is better, and the best column.</summary>
public sealed record MetricRow(string Name, IReadOnlyList<double> Values, bool HigherIsBetter, int BestIndex)
{
    /// <summary>Value minus the first evaluation's value (NaN when either is missing).</summary>
    public double DeltaFromFirst(int i) => Values[i] - Values[0];
}
