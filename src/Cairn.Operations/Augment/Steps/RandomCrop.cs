using Cairn.Operations.Geometry;

namespace Cairn.Operations.Augment.Steps;

/// <summary>
/// Crops a random rectangle: a fixed <see cref="Width"/>×<see cref="Height"/> when given, otherwise a fraction
/// <see cref="Area"/> of the image area with aspect ratio <see cref="Ratio"/> (w/h); the crop keeps its size
/// (no resize). Labels are clipped as in <see cref="Crop"/>.
/// </summary>
public sealed record RandomCrop : AugmentStep
{
    /// <summary>Fixed crop width in pixels (0: use <see cref="Area"/>).</summary>
    public int Width { get; init; }

    /// <summary>Fixed crop height in pixels (0: use <see cref="Area"/>).</summary>
    public int Height { get; init; }

    /// <summary>Fraction of the image area to keep.</summary>
    public ParamRange Area { get; init; } = new(0.5, 1);

    /// <summary>Aspect ratio w/h of the crop.</summary>
    public ParamRange Ratio { get; init; } = new(0.75, 1.3333333333333333);

    /// <summary>Minimum visible fraction of a label.</summary>
    public double MinVisible { get; init; }

    /// <inheritdoc/>
    public override void Apply(AugmentContext context)
    {
        int w = context.Width, h = context.Height, cw, ch;
        if (Width > 0 && Height > 0)
        {
            cw = Math.Min(Width, w);
            ch = Math.Min(Height, h);
        }
        else
        {
            var area = Area.Sample(context.Rng) * w * h;
            var ratio = Ratio.Sample(context.Rng);
            cw = Math.Clamp((int)Math.Round(Math.Sqrt(area * ratio)), 1, w);
            ch = Math.Clamp((int)Math.Round(Math.Sqrt(area / ratio)), 1, h);
        }

        var x = context.Rng.NextInt(w - cw + 1);
        var y = context.Rng.NextInt(h - ch + 1);
        context.Transform(Affine.Translation(-x, -y), cw, ch, MinVisible);
    }
}
