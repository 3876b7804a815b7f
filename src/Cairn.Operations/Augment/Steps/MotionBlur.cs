using Cairn.Operations.Imaging;

namespace Cairn.Operations.Augment.Steps;

/// <summary>Averages <see cref="Kernel"/> pixels along a line at <see cref="Angle"/> degrees (camera shake); borders clamp.</summary>
public sealed record MotionBlur : AugmentStep
{
    /// <summary>Line length in pixels (≥ 1).</summary>
    public int Kernel { get; init; } = 7;

    /// <summary>Direction in degrees (0 = horizontal).</summary>
    public ParamRange Angle { get; init; } = new(0, 180);

    /// <inheritdoc/>
    public override void Apply(AugmentContext context)
    {
        var angle = Angle.Sample(context.Rng) * Math.PI / 180;
        var src = context.Image;
        int w = src.Width, h = src.Height, k = Math.Max(1, Kernel);
        var dx = new int[k];
        var dy = new int[k];
        for (var t = 0; t < k; t++)
        {
            var d = t - ((k - 1) / 2.0);
            dx[t] = (int)Math.Round(d * Math.Cos(angle));
            dy[t] = (int)Math.Round(d * Math.Sin(angle));
        }

        var dst = new RgbaImage(w, h);
        var s = src.Pixels;
        var o = dst.Pixels;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                uint r = 0, g = 0, b = 0;
                for (var t = 0; t < k; t++)
                {
                    var p = s[(Math.Clamp(y + dy[t], 0, h - 1) * w) + Math.Clamp(x + dx[t], 0, w - 1)];
                    r += p & 0xFF;
                    g += (p >> 8) & 0xFF;
                    b += (p >> 16) & 0xFF;
                }

                var half = (uint)k / 2;
                o[(y * w) + x] = ((r + half) / (uint)k) | (((g + half) / (uint)k) << 8) | (((b + half) / (uint)k) << 16) | 0xFF000000u;
            }
        }

        context.ReplaceImage(dst);
    }

    /// <inheritdoc/>
    public override string? Validate() => Kernel is < 1 or > 101 ? $"kernel: motion blur kernel {Kernel} must be in 1..101" : base.Validate();
}
