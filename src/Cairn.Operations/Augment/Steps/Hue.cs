namespace Cairn.Operations.Augment.Steps;

/// <summary>Rotates hue by <see cref="Degrees"/> (the CSS hue-rotate matrix, which keeps luminance).</summary>
public sealed record Hue : AugmentStep
{
    /// <summary>Hue shift in degrees.</summary>
    public ParamRange Degrees { get; init; } = 0;

    /// <inheritdoc/>
    public override void Apply(AugmentContext context) =>
        ColorMatrixStep.Apply(context.Image.Pixels, ColorMatrixStep.HueRotate(Degrees.Sample(context.Rng)));
}
