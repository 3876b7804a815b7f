using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Diagnostics;

namespace Cairn.Evaluation;

/// <summary>Settings of <see cref="EvaluationPipeline.Run"/>.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Box or mask IoU.</summary>
    public IouType IouType { get; init; } = IouType.Bbox;

    /// <summary>Name of the model or run in metrics.json and the report (default: the detections file name).</summary>
    public string? Name { get; init; }

    /// <summary>Settings of the report diagnostics (their IoU type is <see cref="IouType"/>); null skips them.</summary>
    public DiagnosticsOptions? Diagnostics { get; init; } = new();

    /// <summary>Seconds of the stages before evaluation (loading, inference), listed first in metrics.json's timings.</summary>
    public IReadOnlyDictionary<string, double>? Timings { get; init; }

    /// <summary>The clock that dates the evaluation.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
