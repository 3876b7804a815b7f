namespace Cairn.Evaluation.Reports;

/// <summary>One batch size's timings per batch: each stage's mean and standard deviation in milliseconds, and throughput.</summary>
public sealed record SpeedReportBatch(
    int BatchSize,
    int Iterations,
    StageTiming Preprocess,
    StageTiming Inference,
    StageTiming Postprocess,
    StageTiming Total,
    double ImagesPerSecond,
    double PrePostShare);
