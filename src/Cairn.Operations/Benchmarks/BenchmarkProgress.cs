namespace Cairn.Operations.Benchmarks;

/// <summary>Progress of a benchmark: its stage and how far it is.</summary>
public readonly record struct BenchmarkProgress(string Stage, long Done, long Total);
