using Cairn.Core.Model;
using Cairn.Operations.Geometry;
using Cairn.Operations.Imaging;

namespace Cairn.Operations.Augment.Steps;

/// <summary>
/// Mosaic of 4 (as in YOLOv4): a <see cref="Size"/>² canvas split at a random centre; this image fills the top-left
/// quadrant and three images drawn from the <see cref="MosaicSource"/> (this image again when there is none) fill the
/// others. Each is scaled to cover its quadrant with its inner corner at the centre; labels are mapped and clipped
/// to their quadrant.
/// </summary>
public sealed record Mosaic : AugmentStep
{
    /// <summary>Side of the square output in pixels.</summary>
    public int Size { get; init; } = 640;

    /// <summary>Where the centre falls, as a fraction of the side.</summary>
    public ParamRange Center { get; init; } = new(0.25, 0.75);

    /// <summary>Minimum visible fraction of a label.</summary>
    public double MinVisible { get; init; }

    /// <inheritdoc/>
    public override void Apply(AugmentContext context)
    {
        var s = Size;
        var cx = (int)Math.Round(Center.Sample(context.Rng) * s);
        var cy = (int)Math.Round(Center.Sample(context.Rng) * s);
        var canvas = new RgbaImage(s, s, clear: true);
        var labels = new List<Label>();
        var own = context.Image;
        for (var q = 0; q < 4; q++)
        {
            RgbaImage image;
            IReadOnlyList<Label> source;
            var fetched = false;
            if (q == 0 || context.Mosaic is null || context.Mosaic.Count == 0)
            {
                image = own;
                source = context.Labels;
            }
            else
            {
                (image, var annotation) = context.Mosaic.Fetch(context.Rng.NextInt(context.Mosaic.Count));
                source = annotation.Labels;
                fetched = true;
            }

            try
            {
                int x0 = q % 2 == 0 ? 0 : cx, x1 = q % 2 == 0 ? cx : s;
                int y0 = q < 2 ? 0 : cy, y1 = q < 2 ? cy : s;
                if (x1 <= x0 || y1 <= y0)
                {
                    continue;
                }

                var k = Math.Max((double)(x1 - x0) / image.Width, (double)(y1 - y0) / image.Height);
                var ox = q % 2 == 0 ? cx - (k * image.Width) : cx;
                var oy = q < 2 ? cy - (k * image.Height) : cy;
                var map = new Affine(k, 0, ox, 0, k, oy);
                Warp.Bilinear(image, canvas, map, x0, y0, x1, y1);
                labels.AddRange(LabelTransform.Apply(source, map, image.Width, image.Height, s, s, new BoxD(x0, y0, x1, y1), Math.Max(MinVisible, context.MinVisible), context.Meta));
            }
            finally
            {
                if (fetched)
                {
                    image.Dispose();
                }
            }
        }

        context.ReplaceImage(canvas, labels);
    }

    /// <inheritdoc/>
    public override string? Validate() => Size is < 2 or > 16384 ? $"size: mosaic size {Size} must be in 2..16384" : base.Validate();
}
