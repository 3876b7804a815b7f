using Cairn.Core.Masks;
using Cairn.Core.Model;

namespace Cairn.Core.Formats.Internal;

/// <summary>Conversions between masks and what formats store: polygons filled to RLE, RLE cut to a tight row-major crop and back.</summary>
internal static class MaskRaster
{
    /// <summary>
    /// Fills a polygon with holes (even-odd rule) at pixel centres: pixel (x, y) is inside when (x + .5, y + .5) is.
    /// </summary>
    public static Rle FromPolygon(PolygonGeometry polygon, int width, int height)
    {
        var mask = new byte[checked(width * height)];
        var rings = new List<IReadOnlyList<PointD>>(1 + polygon.Interiors.Count) { polygon.Exterior };
        rings.AddRange(polygon.Interiors);
        var xs = new List<double>();
        var bounds = polygon.Bounds();
        var y0 = Math.Max(0, (int)Math.Floor(bounds.Top));
        var y1 = Math.Min(height - 1, (int)Math.Ceiling(bounds.Bottom));
        for (var y = y0; y <= y1; y++)
        {
            var yc = y + 0.5;
            xs.Clear();
            foreach (var ring in rings)
            {
                for (int i = 0, n = ring.Count; i < n; i++)
                {
                    var a = ring[i];
                    var b = ring[(i + 1) % n];
                    if ((a.Y <= yc && yc < b.Y) || (b.Y <= yc && yc < a.Y))
                    {
                        xs.Add(a.X + ((yc - a.Y) * (b.X - a.X) / (b.Y - a.Y)));
                    }
                }
            }

            xs.Sort();
            for (var k = 0; k + 1 < xs.Count; k += 2)
            {
                var from = Math.Max(0, (int)Math.Ceiling(xs[k] - 0.5));
                var to = Math.Min(width, (int)Math.Ceiling(xs[k + 1] - 0.5));
                for (var x = from; x < to; x++)
                {
                    mask[(x * height) + y] = 1;
                }
            }
        }

        return Rle.Encode(mask, height, width);
    }

    /// <summary>The tight crop of a mask: its top-left pixel and a row-major 0/1 array; empty masks give a 0×0 crop.</summary>
    public static (int Left, int Top, int Width, int Height, byte[] Pixels) Crop(Rle rle)
    {
        var b = rle.Bounds();
        int left = (int)b.Left, top = (int)b.Top, w = (int)b.Width, h = (int)b.Height;
        if (w == 0 || h == 0)
        {
            return (0, 0, 0, 0, []);
        }

        var full = rle.Decode();
        var crop = new byte[w * h];
        for (var x = 0; x < w; x++)
        {
            var col = (left + x) * rle.Height;
            for (var y = 0; y < h; y++)
            {
                crop[(y * w) + x] = full[col + top + y];
            }
        }

        return (left, top, w, h, crop);
    }

    /// <summary>Places a row-major crop at (left, top) of an empty image of the given size; parts outside are cut off.</summary>
    public static Rle FromCrop(ReadOnlySpan<byte> crop, int left, int top, int cropWidth, int cropHeight, int width, int height)
    {
        var full = new byte[checked(width * height)];
        for (var y = 0; y < cropHeight; y++)
        {
            var iy = top + y;
            if (iy < 0 || iy >= height)
            {
                continue;
            }

            for (var x = 0; x < cropWidth; x++)
            {
                var ix = left + x;
                if (ix >= 0 && ix < width && crop[(y * cropWidth) + x] != 0)
                {
                    full[(ix * height) + iy] = 1;
                }
            }
        }

        return Rle.Encode(full, height, width);
    }
}
