using Cairn.Operations.Geometry;

namespace Cairn.Operations.Augment.Steps;

/// <summary>Mirrors top–bottom: y → H − y.</summary>
public sealed record VerticalFlip : AugmentStep
{
    /// <inheritdoc/>
    public override void Apply(AugmentContext context) =>
        context.Transform(new Affine(1, 0, 0, 0, -1, context.Height), context.Width, context.Height);
}
