namespace Cairn.Operations.Augment.Steps;

/// <summary>Scales saturation by <see cref="Factor"/> (0 = grey, 1 = unchanged), keeping luminance.</summary>
public sealed record Saturation : AugmentStep
{
    /// <summary>Saturation gain.</summary>
    public ParamRange Factor { get; init; } = 1;

    /// <inheritdoc/>
    public override void Apply(AugmentContext context) =>
        ColorMatrixStep.Apply(context.Image.Pixels, ColorMatrixStep.Saturate(Factor.Sample(context.Rng)));
}
