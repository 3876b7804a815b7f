using Cairn.Operations.Imaging;

namespace Cairn.Operations.Augment.Steps;

/// <summary>Scales R, G and B about <see cref="Center"/>: x → (x − c)·factor + c. With center 0 it is OpenCV's convertScaleAbs gain.</summary>
public sealed record Contrast : AugmentStep
{
    /// <summary>The gain.</summary>
    public ParamRange Factor { get; init; } = 1;

    /// <summary>The level that stays fixed (default 128).</summary>
    public double Center { get; init; } = 128;

    /// <inheritdoc/>
    public override void Apply(AugmentContext context)
    {
        var f = Factor.Sample(context.Rng);
        context.ApplyLut(Kernels.LinearLut(f, Center * (1 - f)));
    }
}
