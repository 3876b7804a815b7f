namespace Cairn.Inference;

/// <summary>What a detector model expects and produces, as found by inspecting it; stored with a registered model as JSON.</summary>
/// <param name="InputName">Name of the image input.</param>
/// <param name="InputWidth">Width in pixels the images are letterboxed to.</param>
/// <param name="InputHeight">Height in pixels the images are letterboxed to.</param>
/// <param name="Channels">Colour channels of the input (3: RGB).</param>
/// <param name="FixedBatchSize">The batch size the model was exported with, or null when the batch dimension is dynamic.</param>
/// <param name="Layout">How the outputs are decoded.</param>
/// <param name="ClassCount">Number of classes the model scores.</param>
/// <param name="ClassNames">Class names from the model's metadata (Ultralytics <c>names</c>) or the caller; empty when unknown.</param>
/// <param name="Inputs">Every model input with its declared shape.</param>
/// <param name="Outputs">Every model output with its declared shape (dynamic dimensions other than the batch resolved by a probe run).</param>
public sealed record ModelInfo(
    string InputName,
    int InputWidth,
    int InputHeight,
    int Channels,
    int? FixedBatchSize,
    OutputLayout Layout,
    int ClassCount,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<TensorInfo> Inputs,
    IReadOnlyList<TensorInfo> Outputs)
{
    /// <summary>Version of this record's JSON form; bumped when a field changes meaning.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <inheritdoc/>
    public bool Equals(ModelInfo? other) =>
        other is not null && InputName == other.InputName && InputWidth == other.InputWidth
        && InputHeight == other.InputHeight && Channels == other.Channels && FixedBatchSize == other.FixedBatchSize
        && Layout == other.Layout && ClassCount == other.ClassCount && ClassNames.SequenceEqual(other.ClassNames)
        && Inputs.SequenceEqual(other.Inputs) && Outputs.SequenceEqual(other.Outputs) && FormatVersion == other.FormatVersion;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(InputName, InputWidth, InputHeight, Layout, ClassCount);
}
