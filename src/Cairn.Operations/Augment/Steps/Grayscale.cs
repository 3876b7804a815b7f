namespace Cairn.Operations.Augment.Steps;

/// <summary>Replaces R, G and B by the luminance (Rec. 709 weights); the image stays three-channel.</summary>
public sealed record Grayscale : AugmentStep
{
    /// <inheritdoc/>
    public override void Apply(AugmentContext context) =>
        ColorMatrixStep.Apply(context.Image.Pixels, ColorMatrixStep.Saturate(0));
}
