using Cairn.Operations.Geometry;

namespace Cairn.Operations.Augment.Steps;

/// <summary>
/// Rotates about the image centre by <see cref="Angle"/> degrees (counter-clockwise on screen, as OpenCV), bilinear,
/// black border, same size; labels leaving the frame are clipped.
/// </summary>
public sealed record Rotate : AugmentStep
{
    /// <summary>Angle in degrees, fixed or a range.</summary>
    public ParamRange Angle { get; init; } = 0;

    /// <inheritdoc/>
    public override void Apply(AugmentContext context)
    {
        var angle = Angle.Sample(context.Rng);
        context.Transform(Affine.Rotation(angle, context.Width / 2.0, context.Height / 2.0), context.Width, context.Height);
    }
}
