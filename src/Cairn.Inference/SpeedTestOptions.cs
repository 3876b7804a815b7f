namespace Cairn.Inference;

/// <summary>What a speed test runs: the batch sizes, warm-up runs before timing, and timed iterations per batch size.</summary>
public sealed record SpeedTestOptions
{
    /// <summary>Batch sizes timed, in order; 1, 8 and 16 by default.</summary>
    public IReadOnlyList<int> BatchSizes { get; init; } = [1, 8, 16];

    /// <summary>Untimed runs per batch size before timing (allocations, kernel selection, caches).</summary>
    public int WarmupRuns { get; init; } = 3;

    /// <summary>Timed runs per batch size.</summary>
    public int Iterations { get; init; } = 20;
}
