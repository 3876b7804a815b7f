using Cairn.Core.Model;
using Cairn.Operations.Geometry;
using Cairn.Operations.Imaging;

namespace Cairn.Operations.Synthesis;

/// <summary>An object cut out of a source image by its mask or polygon: the pixels of its bounding box and a row-major 0/1 mask.</summary>
public sealed class CutOut
{
    private CutOut(int width, int height, uint[] pixels, byte[] mask, Label label)
    {
        Width = width;
        Height = height;
        Pixels = pixels;
        Mask = mask;
        Label = label;
    }

    /// <summary>Width of the cut-out.</summary>
    public int Width { get; }

    /// <summary>Height of the cut-out.</summary>
    public int Height { get; }

    /// <summary>RGBA pixels, row-major.</summary>
    public uint[] Pixels { get; }

    /// <summary>1 where the object is, row-major.</summary>
    public byte[] Mask { get; }

    /// <summary>The source label (class, tags, geometry kind) the pasted labels are made from.</summary>
    public Label Label { get; }

    /// <summary>Cuts the object of a polygon or mask label out of <paramref name="image"/>; null for other kinds or an empty shape.</summary>
    public static CutOut? Cut(RgbaImage image, Label label)
    {
        int w = image.Width, h = image.Height;
        var full = new byte[w * h]; // row-major
        switch (label.Geometry)
        {
            case PolygonGeometry p:
                foreach (var (y, x0, x1) in Rasterizer.Spans([p.Exterior, .. p.Interiors], w, h))
                {
                    full.AsSpan((y * w) + x0, x1 - x0).Fill(1);
                }

                break;
            case MaskGeometry m when m.Rle.Width == w && m.Rle.Height == h:
                var cm = m.Rle.Decode();
                for (var x = 0; x < w; x++)
                {
                    for (var y = 0; y < h; y++)
                    {
                        full[(y * w) + x] = cm[(x * h) + y];
                    }
                }

                break;
            default:
                return null;
        }

        int left = w, top = h, right = -1, bottom = -1;
        for (var y = 0; y < h; y++)
        {
            var row = full.AsSpan(y * w, w);
            var first = row.IndexOf((byte)1);
            if (first < 0)
            {
                continue;
            }

            left = Math.Min(left, first);
            right = Math.Max(right, row.LastIndexOf((byte)1));
            top = Math.Min(top, y);
            bottom = y;
        }

        if (right < 0)
        {
            return null;
        }

        int cw = right - left + 1, ch = bottom - top + 1;
        var pixels = new uint[cw * ch];
        var mask = new byte[cw * ch];
        var src = image.Pixels;
        for (var y = 0; y < ch; y++)
        {
            src.Slice(((top + y) * w) + left, cw).CopyTo(pixels.AsSpan(y * cw, cw));
            full.AsSpan(((top + y) * w) + left, cw).CopyTo(mask.AsSpan(y * cw, cw));
        }

        return new CutOut(cw, ch, pixels, mask, label);
    }
}
