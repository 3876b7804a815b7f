namespace Cairn.Inference;

/// <summary>
/// A timing over repeated runs, in milliseconds: mean and population standard deviation (numpy's <c>std</c>), plus the
/// median and the minimum, which stay meaningful on a machine shared with other work.
/// </summary>
public readonly record struct TimingStats(double MeanMs, double StdMs, double MedianMs, double MinMs)
{
    /// <summary>Statistics of <paramref name="samplesMs"/>; all zero when there are none.</summary>
    public static TimingStats Of(ReadOnlySpan<double> samplesMs)
    {
        if (samplesMs.IsEmpty)
        {
            return default;
        }

        double sum = 0;
        foreach (var s in samplesMs)
        {
            sum += s;
        }

        var mean = sum / samplesMs.Length;
        double sq = 0;
        foreach (var s in samplesMs)
        {
            sq += (s - mean) * (s - mean);
        }

        var sorted = samplesMs.ToArray();
        Array.Sort(sorted);
        var mid = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new TimingStats(mean, Math.Sqrt(sq / samplesMs.Length), median, sorted[0]);
    }
}
