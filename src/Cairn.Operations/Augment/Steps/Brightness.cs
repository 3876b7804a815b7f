using Cairn.Operations.Imaging;

namespace Cairn.Operations.Augment.Steps;

/// <summary>Adds <see cref="Delta"/> grey levels to R, G and B (saturating).</summary>
public sealed record Brightness : AugmentStep
{
    /// <summary>Levels to add (may be negative).</summary>
    public ParamRange Delta { get; init; } = 0;

    /// <inheritdoc/>
    public override void Apply(AugmentContext context) => context.ApplyLut(Kernels.LinearLut(1, Delta.Sample(context.Rng)));
}
