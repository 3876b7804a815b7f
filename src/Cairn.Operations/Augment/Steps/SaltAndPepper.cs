namespace Cairn.Operations.Augment.Steps;

/// <summary>Sets a fraction <see cref="Amount"/> of the pixels to white or black.</summary>
public sealed record SaltAndPepper : AugmentStep
{
    /// <summary>Fraction of pixels replaced.</summary>
    public ParamRange Amount { get; init; } = 0.01;

    /// <summary>Share of the replaced pixels that become white.</summary>
    public double SaltRatio { get; init; } = 0.5;

    /// <inheritdoc/>
    public override void Apply(AugmentContext context)
    {
        var amount = Amount.Sample(context.Rng);
        Imaging.Noise.SaltAndPepper(context.Image.Pixels, amount, SaltRatio, context.Rng.NextUInt64());
    }
}
