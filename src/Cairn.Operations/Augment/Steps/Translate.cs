using Cairn.Operations.Geometry;

namespace Cairn.Operations.Augment.Steps;

/// <summary>Shifts the image by fractions of its size (black fill); labels are clipped to the frame.</summary>
public sealed record Translate : AugmentStep
{
    /// <summary>Horizontal shift as a fraction of the width.</summary>
    public ParamRange X { get; init; } = 0;

    /// <summary>Vertical shift as a fraction of the height.</summary>
    public ParamRange Y { get; init; } = 0;

    /// <summary>Minimum visible fraction of a label.</summary>
    public double MinVisible { get; init; }

    /// <inheritdoc/>
    public override void Apply(AugmentContext context)
    {
        var dx = Math.Round(X.Sample(context.Rng) * context.Width);
        var dy = Math.Round(Y.Sample(context.Rng) * context.Height);
        context.Transform(Affine.Translation(dx, dy), context.Width, context.Height, MinVisible);
    }
}
