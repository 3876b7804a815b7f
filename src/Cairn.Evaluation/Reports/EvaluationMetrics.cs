using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Diagnostics;

namespace Cairn.Evaluation.Reports;

/// <summary>
/// The content of metrics.json: every number of an evaluation, so reports and comparisons can be made from it alone.
/// <see cref="Version"/> changes whenever the shape does.
/// </summary>
public sealed record EvaluationMetrics
{
    /// <summary>Current <see cref="Version"/>.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Always "cairn-evaluation".</summary>
    public string Format { get; init; } = "cairn-evaluation";

    /// <summary>Shape version.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>A name for the model or run (defaults to the detections file name).</summary>
    public required string Name { get; init; }

    /// <summary>When the evaluation ran (UTC, ISO 8601).</summary>
    public required DateTimeOffset CreatedUtc { get; init; }

    /// <summary>"bbox", "segm" or "boundary".</summary>
    public required string IouType { get; init; }

    /// <summary>Inputs.</summary>
    public required DatasetInfo Dataset { get; init; }

    /// <summary>Names of <see cref="Stats"/>.</summary>
    public required IReadOnlyList<string> StatNames { get; init; }

    /// <summary>The 12 COCO summary numbers.</summary>
    public required IReadOnlyList<double> Stats { get; init; }

    /// <summary>Per class, keyed by class name, in category-id order.</summary>
    public required IReadOnlyDictionary<string, ClassMetrics> PerClass { get; init; }

    /// <summary>LVIS-style AP of rare, common and frequent classes (absent in files written before it existed).</summary>
    public FrequencyGroups? Frequency { get; init; }

    /// <summary>Report diagnostics, when computed.</summary>
    public DetectionDiagnostics? Diagnostics { get; init; }

    /// <summary>Seconds spent loading and evaluating, when measured.</summary>
    public IReadOnlyDictionary<string, double>? TimingsS { get; init; }
}
