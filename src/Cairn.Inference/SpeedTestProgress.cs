namespace Cairn.Inference;

/// <summary>Progress of a speed test: runs done (warm-up included) out of the total for all batch sizes.</summary>
public readonly record struct SpeedTestProgress(int BatchSize, int Done, int Total);
