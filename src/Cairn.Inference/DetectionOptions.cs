namespace Cairn.Inference;

/// <summary>Postprocessing settings: confidence threshold, class-wise NMS and the number of detections kept.</summary>
/// <param name="ConfidenceThreshold">Candidates score at least this much.</param>
/// <param name="IouThreshold">A candidate overlapping a higher-scoring kept box of its class by more than this IoU is dropped.</param>
/// <param name="MaxDetections">At most this many detections per image, highest scores first.</param>
/// <param name="MultiLabel">Whether every (anchor, class) pair above the threshold is a candidate (true) or only each anchor's best class (false); null: true when the model has more than one class, as Ultralytics' validator does.</param>
/// <param name="MaxCandidates">Only the highest-scoring this many candidates enter NMS (Ultralytics' <c>max_nms</c>).</param>
public sealed record DetectionOptions(
    float ConfidenceThreshold = 0.001f,
    float IouThreshold = 0.7f,
    int MaxDetections = 300,
    bool? MultiLabel = null,
    int MaxCandidates = 30000)
{
    /// <summary>Ultralytics' validation defaults (conf 0.001, IoU 0.7, 300 detections, multi-label): use for accuracy benchmarks.</summary>
    public static DetectionOptions Validation { get; } = new();

    /// <summary>Ultralytics' prediction defaults (conf 0.25, IoU 0.7, 300 detections, best class only): use for predictions kept as labels.</summary>
    public static DetectionOptions Prediction { get; } = new(ConfidenceThreshold: 0.25f, MultiLabel: false);

    /// <summary>Throws when a value is out of range; called where options enter the library.</summary>
    internal void Validate()
    {
        if (!(ConfidenceThreshold >= 0 && ConfidenceThreshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceThreshold), ConfidenceThreshold, "expected a value in [0, 1]");
        }

        if (!(IouThreshold >= 0 && IouThreshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(IouThreshold), IouThreshold, "expected a value in [0, 1]");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDetections, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCandidates, 1);
    }
}
