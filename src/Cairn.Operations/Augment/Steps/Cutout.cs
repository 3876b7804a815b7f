using Cairn.Operations.Imaging;

namespace Cairn.Operations.Augment.Steps;

/// <summary>
/// Fills <see cref="Count"/> random squares with a grey level (random erasing). Labels are kept unchanged: the
/// objects are still there, only hidden, which is what cutout trains for.
/// </summary>
public sealed record Cutout : AugmentStep
{
    /// <summary>Number of squares.</summary>
    public ParamRange Count { get; init; } = 1;

    /// <summary>Side of each square as a fraction of the shorter image side.</summary>
    public ParamRange Size { get; init; } = new(0.1, 0.3);

    /// <summary>Fill grey level.</summary>
    public int Fill { get; init; }

    /// <inheritdoc/>
    public override void Apply(AugmentContext context)
    {
        var image = context.Image;
        var n = (int)Math.Round(Count.Sample(context.Rng));
        var side = Math.Min(image.Width, image.Height);
        var grey = (uint)Math.Clamp(Fill, 0, 255);
        for (var i = 0; i < n; i++)
        {
            var s = Math.Max(1, (int)Math.Round(Size.Sample(context.Rng) * side));
            var x = context.Rng.NextInt(-s / 2, image.Width - (s / 2));
            var y = context.Rng.NextInt(-s / 2, image.Height - (s / 2));
            Kernels.FillRect(image, x, y, x + s, y + s, grey | (grey << 8) | (grey << 16));
        }
    }
}
