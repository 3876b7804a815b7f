using Cairn.Operations.Geometry;

namespace Cairn.Operations.Augment.Steps;

/// <summary>Scales the image by <see cref="Factor"/>; the image size changes with it (bilinear).</summary>
public sealed record Scale : AugmentStep
{
    /// <summary>Scale factor, fixed or a range.</summary>
    public ParamRange Factor { get; init; } = 1;

    /// <inheritdoc/>
    public override void Apply(AugmentContext context)
    {
        var f = Factor.Sample(context.Rng);
        var nw = Math.Max(1, (int)Math.Round(context.Width * f));
        var nh = Math.Max(1, (int)Math.Round(context.Height * f));
        context.Transform(Affine.Scaling((double)nw / context.Width, (double)nh / context.Height), nw, nh);
    }

    /// <inheritdoc/>
    public override string? Validate() => Factor.Min <= 0 ? $"factor: scale factor {Factor.Min} must be positive" : base.Validate();
}
