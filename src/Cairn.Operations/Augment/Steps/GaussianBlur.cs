namespace Cairn.Operations.Augment.Steps;

/// <summary>Gaussian blur with an odd square kernel; sigma 0 derives it from the size as OpenCV does.</summary>
public sealed record GaussianBlur : AugmentStep
{
    /// <summary>Kernel size (odd, 1..31).</summary>
    public int Kernel { get; init; } = 5;

    /// <summary>Standard deviation in pixels (0: from the kernel size).</summary>
    public ParamRange Sigma { get; init; } = 0;

    /// <inheritdoc/>
    public override void Apply(AugmentContext context)
    {
        var sigma = Sigma.Sample(context.Rng);
        var blurred = Imaging.GaussianBlur.Apply(context.Image, Kernel, sigma);
        context.ReplaceImage(blurred);
    }

    /// <inheritdoc/>
    public override string? Validate() =>
        Kernel is < 1 or > 31 || Kernel % 2 == 0 ? $"kernel: blur kernel {Kernel} must be odd and in 1..31" : base.Validate();
}
