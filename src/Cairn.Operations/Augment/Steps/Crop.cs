using Cairn.Operations.Geometry;

namespace Cairn.Operations.Augment.Steps;

/// <summary>Crops a fixed rectangle (pixels); labels are clipped and those less visible than <see cref="MinVisible"/> are removed.</summary>
public sealed record Crop : AugmentStep
{
    /// <summary>Left edge.</summary>
    public int X { get; init; }

    /// <summary>Top edge.</summary>
    public int Y { get; init; }

    /// <summary>Width of the crop.</summary>
    public int Width { get; init; }

    /// <summary>Height of the crop.</summary>
    public int Height { get; init; }

    /// <summary>Minimum fraction of a label's area (length for lines, nodes for keypoints) that must stay inside.</summary>
    public double MinVisible { get; init; }

    /// <inheritdoc/>
    public override void Apply(AugmentContext context) =>
        context.Transform(Affine.Translation(-X, -Y), Width, Height, MinVisible);

    /// <inheritdoc/>
    public override string? Validate() =>
        Width <= 0 ? $"width: crop size {Width}×{Height} must be positive" : Height <= 0 ? $"height: crop size {Width}×{Height} must be positive" : base.Validate();
}
