namespace Cairn.Inference;

/// <summary>Mean and population standard deviation of a timing, in milliseconds.</summary>
public readonly record struct TimingStats(double MeanMs, double StdMs)
{
    /// <summary>Mean and population standard deviation (numpy's <c>std</c>) of <paramref name="samplesMs"/>.</summary>
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

        return new TimingStats(mean, Math.Sqrt(sq / samplesMs.Length));
    }
}
