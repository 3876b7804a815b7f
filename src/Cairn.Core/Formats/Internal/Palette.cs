using System.Globalization;

namespace Cairn.Core.Formats.Internal;

/// <summary>Deterministic distinct class colours for formats that carry none (golden-ratio hue steps).</summary>
internal static class Palette
{
    public static string Color(int index)
    {
        var h = (index * 0.618033988749895) % 1.0;
        const double s = 0.65, v = 0.95;
        var i = (int)(h * 6);
        var f = (h * 6) - i;
        double p = v * (1 - s), q = v * (1 - (f * s)), t = v * (1 - ((1 - f) * s));
        var (r, g, b) = (i % 6) switch
        {
            0 => (v, t, p),
            1 => (q, v, p),
            2 => (p, v, t),
            3 => (p, q, v),
            4 => (t, p, v),
            _ => (v, p, q),
        };
        return string.Create(CultureInfo.InvariantCulture, $"#{(int)(r * 255):X2}{(int)(g * 255):X2}{(int)(b * 255):X2}");
    }
}
