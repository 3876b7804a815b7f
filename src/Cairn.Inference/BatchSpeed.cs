namespace Cairn.Inference;

/// <summary>
/// Timings of one batch size, per batch: decoding (reported apart, as Ultralytics leaves image loading out of its
/// speed), preprocessing (letterbox to tensor), inference, postprocessing (decode, NMS, map back) and their sum.
/// </summary>
public sealed record BatchSpeed(
    int BatchSize,
    int Iterations,
    TimingStats Decode,
    TimingStats Preprocess,
    TimingStats Inference,
    TimingStats Postprocess,
    TimingStats Total)
{
    /// <summary>Images per second through preprocessing, inference and postprocessing.</summary>
    public double ImagesPerSecond => Total.MeanMs > 0 ? BatchSize * 1000.0 / Total.MeanMs : 0;

    /// <summary>Share of the total time spent in preprocessing and postprocessing, in [0, 1].</summary>
    public double PrePostShare => Total.MeanMs > 0 ? (Preprocess.MeanMs + Postprocess.MeanMs) / Total.MeanMs : 0;
}
