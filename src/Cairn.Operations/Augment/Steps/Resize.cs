using Cairn.Operations.Geometry;

namespace Cairn.Operations.Augment.Steps;

/// <summary>Resizes to <see cref="Width"/>×<see cref="Height"/> (bilinear); a zero side keeps the aspect ratio.</summary>
public sealed record Resize : AugmentStep
{
    /// <summary>Target width (0: from height and aspect).</summary>
    public int Width { get; init; }

    /// <summary>Target height (0: from width and aspect).</summary>
    public int Height { get; init; }

    /// <inheritdoc/>
    public override void Apply(AugmentContext context)
    {
        int w = context.Width, h = context.Height;
        var nw = Width > 0 ? Width : Math.Max(1, (int)Math.Round(w * (double)Height / h));
        var nh = Height > 0 ? Height : Math.Max(1, (int)Math.Round(h * (double)Width / w));
        context.Transform(Affine.Scaling((double)nw / w, (double)nh / h), nw, nh);
    }

    /// <inheritdoc/>
    public override string? Validate() =>
        Width < 0 || Height < 0 || (Width == 0 && Height == 0) ? $"width: resize {Width}×{Height}: give a positive width, height or both" : base.Validate();
}
