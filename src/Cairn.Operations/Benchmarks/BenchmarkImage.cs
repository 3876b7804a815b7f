namespace Cairn.Operations.Benchmarks;

/// <summary>Where a benchmark image came from: its dataset and name in the version, its image's content id and size.</summary>
public sealed record BenchmarkImage(string Dataset, string Name, string ImageId, int Width, int Height);
