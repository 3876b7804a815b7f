using Cairn.Evaluation.Coco;
using Cairn.Inference;

namespace Cairn.Operations.Benchmarks;

/// <summary>How to benchmark a model on a version.</summary>
public sealed record BenchmarkOptions
{
    /// <summary>bbox (default) or segm.</summary>
    public IouType IouType { get; init; } = IouType.Bbox;

    /// <summary>Images per inference batch for the accuracy pass.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Detection settings; Ultralytics' validation defaults unless set.</summary>
    public DetectionOptions Detection { get; init; } = DetectionOptions.Validation;

    /// <summary>Speed test settings; null skips the speed test.</summary>
    public SpeedTestOptions? SpeedTest { get; init; } = new();

    /// <summary>A name for this evaluation (default: "model on project@N").</summary>
    public string? Title { get; init; }

    /// <summary>The dataset class each model class means, in model index order (default: the model's registered classes).</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>IoU threshold of the report diagnostics.</summary>
    public double DiagnosticsIou { get; init; } = 0.5;
}
