namespace Cairn.Inference;

/// <summary>How a detector is loaded and run: device, threads, layout and input overrides, postprocessing.</summary>
public sealed record DetectorOptions
{
    /// <summary>Where the model runs; CPU unless CUDA is installed and asked for (or <see cref="ExecutionDevice.Auto"/>).</summary>
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Auto;

    /// <summary>ONNX Runtime intra-op threads; 0 lets the runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Whether ONNX Runtime's idle intra-op threads spin waiting for work. Off by default: spinning threads take the cores
    /// that decode and letterbox the next batch while the model runs.
    /// </summary>
    public bool SpinWait { get; init; }

    /// <summary>Images decoded and letterboxed in parallel; 0 means one per processor.</summary>
    public int PreprocessThreads { get; init; }

    /// <summary>The output layout, for models whose shapes do not decide it; null detects it.</summary>
    public OutputLayout? Layout { get; init; }

    /// <summary>Input size (square) for models whose input height and width are dynamic; null: metadata <c>imgsz</c>, else 640.</summary>
    public int? InputSize { get; init; }

    /// <summary>Class names, overriding the model's metadata; their count also disambiguates layouts.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Confidence, NMS and detection-count settings.</summary>
    public DetectionOptions Detection { get; init; } = DetectionOptions.Validation;

    /// <summary>Images larger than this many pixels are refused before decoding (untrusted input).</summary>
    public long MaxImagePixels { get; init; } = Cairn.Core.Imaging.ImageDecoder.MaxPixels;
}
