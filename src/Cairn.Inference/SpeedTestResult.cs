namespace Cairn.Inference;

/// <summary>A speed test's timings per batch size with the setting they were measured in; serialisable to JSON.</summary>
/// <param name="Device">Execution provider: CPU or CUDA.</param>
/// <param name="Runtime">The inference runtime, <c>ONNX Runtime</c>.</param>
/// <param name="RuntimeVersion">Its version.</param>
/// <param name="IntraOpThreads">Intra-op threads configured (0: the runtime's default, one per physical core).</param>
/// <param name="PreprocessThreads">Images preprocessed in parallel.</param>
/// <param name="ProcessorCount">Logical processors of the machine.</param>
/// <param name="InputWidth">Model input width.</param>
/// <param name="InputHeight">Model input height.</param>
/// <param name="WarmupRuns">Untimed runs per batch size.</param>
/// <param name="Batches">Timings per batch size.</param>
public sealed record SpeedTestResult(
    string Device,
    string Runtime,
    string RuntimeVersion,
    int IntraOpThreads,
    int PreprocessThreads,
    int ProcessorCount,
    int InputWidth,
    int InputHeight,
    int WarmupRuns,
    IReadOnlyList<BatchSpeed> Batches)
{
    /// <summary>Version of this record's JSON form.</summary>
    public int FormatVersion { get; init; } = 1;
}
