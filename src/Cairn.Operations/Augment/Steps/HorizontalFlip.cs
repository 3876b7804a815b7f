using Cairn.Operations.Geometry;

namespace Cairn.Operations.Augment.Steps;

/// <summary>Mirrors left–right: x → W − x.</summary>
public sealed record HorizontalFlip : AugmentStep
{
    /// <inheritdoc/>
    public override void Apply(AugmentContext context) =>
        context.Transform(new Affine(-1, 0, context.Width, 0, 1, 0), context.Width, context.Height);
}
