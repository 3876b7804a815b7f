using Cairn.Core.Masks;
using Cairn.Core.Model;
using Cairn.Operations.Geometry;
using Cairn.Operations.Imaging;

namespace Cairn.Operations.Synthesis;

/// <summary>
/// Pastes cut-outs onto a background at random scale, flip and position and writes exact labels from the final
/// ownership of every pixel: each pasted object's label is its visible part (a mask for mask sources; for polygon
/// sources the traced outline of the visible part, one label per visible piece), so objects pasted later occlude
/// earlier ones in the labels too. The background's own labels are updated the same way: masks and polygons lose
/// covered pixels, boxes shrink to the bounds of their visible part (dropped when fully covered), covered points are
/// dropped and covered keypoints become "labelled but not visible" (COCO visibility 1); polylines are kept as they are.
/// </summary>
public static class CopyPaste
{
    /// <summary>Makes one composite for <paramref name="key"/>; the caller disposes the returned image.</summary>
    public static (RgbaImage Image, Annotation Annotation) Compose(
        RgbaImage background, Annotation backgroundAnnotation, IReadOnlyList<CutOut> pool, CopyPasteSpec spec, string key)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Count == 0)
        {
            throw new ArgumentException("copy-paste: the pool of cut-outs is empty", nameof(pool));
        }

        var rng = new Xoshiro256(Xoshiro256.DeriveSeed(spec.Seed, key, 0));
        int w = background.Width, h = background.Height;
        var canvas = background.Clone();
        var owner = new int[w * h];
        Array.Fill(owner, -1);
        var pasted = new List<(CutOut Cut, long Painted)>();
        var px = canvas.Pixels;
        var n = rng.NextInt(spec.MinObjects, spec.MaxObjects + 1);
        for (var k = 0; k < n; k++)
        {
            var cut = pool[rng.NextInt(pool.Count)];
            var s = spec.Scale.Sample(rng);
            s = Math.Min(s, Math.Min((double)w / cut.Width, (double)h / cut.Height));
            var flip = rng.Chance(spec.FlipProbability);
            var dw = Math.Max(1, (int)Math.Round(cut.Width * s));
            var dh = Math.Max(1, (int)Math.Round(cut.Height * s));
            var ox = rng.NextInt(w - dw + 1);
            var oy = rng.NextInt(h - dh + 1);
            long painted = 0;
            for (var y = 0; y < dh; y++)
            {
                var v = (y + 0.5) * cut.Height / dh;
                for (var x = 0; x < dw; x++)
                {
                    var u = (x + 0.5) * cut.Width / dw;
                    if (flip)
                    {
                        u = cut.Width - u;
                    }

                    var mu = Math.Clamp((int)u, 0, cut.Width - 1);
                    var mv = Math.Clamp((int)v, 0, cut.Height - 1);
                    if (cut.Mask[(mv * cut.Width) + mu] == 0)
                    {
                        continue;
                    }

                    var p = ((oy + y) * w) + ox + x;
                    px[p] = Sample(cut, u - 0.5, v - 0.5);
                    owner[p] = pasted.Count;
                    painted++;
                }
            }

            pasted.Add((cut, painted));
        }

        var labels = new List<Label>();
        labels.AddRange(UpdateBackground(backgroundAnnotation.Labels, owner, w, h));
        for (var k = 0; k < pasted.Count; k++)
        {
            var (cut, painted) = pasted[k];
            var visible = new byte[w * h]; // column-major
            long count = 0;
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    if (owner[(y * w) + x] == k)
                    {
                        visible[(x * h) + y] = 1;
                        count++;
                    }
                }
            }

            if (count == 0 || count < spec.MinVisible * painted)
            {
                continue;
            }

            if (cut.Label.Geometry is MaskGeometry)
            {
                labels.Add(cut.Label with { Geometry = new MaskGeometry(Rle.Encode(visible, h, w)) });
            }
            else
            {
                labels.AddRange(ContourTracer.Trace(visible, w, h).Select(poly => cut.Label with { Geometry = poly }));
            }
        }

        return (canvas, backgroundAnnotation with { Width = w, Height = h, Labels = labels });
    }

    private static uint Sample(CutOut cut, double u, double v)
    {
        int cw = cut.Width, ch = cut.Height;
        var x0 = (int)Math.Floor(u);
        var y0 = (int)Math.Floor(v);
        double fx = u - x0, fy = v - y0;
        uint At(int x, int y) => cut.Pixels[(Math.Clamp(y, 0, ch - 1) * cw) + Math.Clamp(x, 0, cw - 1)];
        uint p00 = At(x0, y0), p01 = At(x0 + 1, y0), p10 = At(x0, y0 + 1), p11 = At(x0 + 1, y0 + 1);
        uint result = 0xFF000000u;
        for (var shift = 0; shift < 24; shift += 8)
        {
            var a = (p00 >> shift) & 0xFF;
            var b = (p01 >> shift) & 0xFF;
            var c = (p10 >> shift) & 0xFF;
            var d = (p11 >> shift) & 0xFF;
            var value = (((a * (1 - fx)) + (b * fx)) * (1 - fy)) + (((c * (1 - fx)) + (d * fx)) * fy);
            result |= (uint)Kernels.ClampByte(value) << shift;
        }

        return result;
    }

    private static List<Label> UpdateBackground(IReadOnlyList<Label> labels, int[] owner, int w, int h)
    {
        bool Covered(double x, double y)
        {
            int ix = (int)Math.Floor(x), iy = (int)Math.Floor(y);
            return (uint)ix < (uint)w && (uint)iy < (uint)h && owner[(iy * w) + ix] >= 0;
        }

        byte[] Visible(byte[] columnMajor)
        {
            for (var x = 0; x < w; x++)
            {
                for (var y = 0; y < h; y++)
                {
                    if (owner[(y * w) + x] >= 0)
                    {
                        columnMajor[(x * h) + y] = 0;
                    }
                }
            }

            return columnMajor;
        }

        var result = new List<Label>(labels.Count);
        foreach (var label in labels)
        {
            switch (label.Geometry)
            {
                case RectangleGeometry r:
                {
                    var b = r.Box;
                    var poly = new List<PointD> { new(b.Left, b.Top), new(b.Right, b.Top), new(b.Right, b.Bottom), new(b.Left, b.Bottom) };
                    var area = Visible(Rasterizer.Fill([poly], w, h));
                    var rle = Rle.Encode(area, h, w);
                    if (rle.Area() > 0)
                    {
                        result.Add(label with { Geometry = new RectangleGeometry(Clipping.Intersect(rle.Bounds(), b)) });
                    }

                    break;
                }

                case PolygonGeometry p:
                    var mask = Visible(Rasterizer.Fill([p.Exterior, .. p.Interiors], w, h));
                    result.AddRange(ContourTracer.Trace(mask, w, h).Select(poly => label with { Geometry = poly }));
                    break;
                case MaskGeometry m when m.Rle.Width == w && m.Rle.Height == h:
                    var rest = Rle.Encode(Visible(m.Rle.Decode()), h, w);
                    if (rest.Area() > 0)
                    {
                        result.Add(label with { Geometry = new MaskGeometry(rest) });
                    }

                    break;
                case PointGeometry pt:
                    if (!Covered(pt.Point.X, pt.Point.Y))
                    {
                        result.Add(label);
                    }

                    break;
                case KeypointsGeometry kp:
                    result.Add(label with
                    {
                        Geometry = new KeypointsGeometry(kp.Nodes.Select(n => n.Visibility == 2 && Covered(n.X, n.Y) ? n with { Visibility = 1 } : n).ToList()),
                    });
                    break;
                default:
                    result.Add(label);
                    break;
            }
        }

        return result;
    }
}
