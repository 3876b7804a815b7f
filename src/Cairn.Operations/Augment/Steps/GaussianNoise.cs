namespace Cairn.Operations.Augment.Steps;

/// <summary>Adds Gaussian noise N(0, σ²) to each channel (or the same sample to all three when <see cref="PerChannel"/> is false).</summary>
public sealed record GaussianNoise : AugmentStep
{
    /// <summary>Standard deviation in grey levels.</summary>
    public ParamRange Sigma { get; init; } = 8;

    /// <summary>Independent samples per channel (default) or one per pixel.</summary>
    public bool PerChannel { get; init; } = true;

    /// <inheritdoc/>
    public override void Apply(AugmentContext context)
    {
        var sigma = Sigma.Sample(context.Rng);
        var seed = context.Rng.NextUInt64();
        var pixels = context.Image.Pixels;
        if (PerChannel)
        {
            Imaging.Noise.AddGaussian(pixels, sigma, seed);
        }
        else
        {
            Imaging.Noise.AddGaussianGray(pixels, sigma, seed);
        }
    }
}
