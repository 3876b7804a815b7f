using Cairn.Core.Model;
using Cairn.Operations.Geometry;
using Cairn.Operations.Imaging;

namespace Cairn.Operations.Synthesis;

/// <summary>Procedural scenes of simple shapes on noisy gradients with exact labels, for demos and tests without external data.</summary>
public static class SyntheticScenes
{
    /// <summary>The project meta of scenes made with <paramref name="spec"/>: one class per shape kind.</summary>
    public static ProjectMeta Meta(SyntheticSpec spec)
    {
        string[] colors = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4"];
        return new ProjectMeta(spec.Kinds.Distinct().Select(k => new ObjClass(ClassName(k), spec.LabelShape, colors[(int)k % colors.Length])).ToList(), []);
    }

    /// <summary>The class name of a shape kind.</summary>
    public static string ClassName(ShapeKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The item name of image <paramref name="index"/>.</summary>
    public static string ItemName(int index) => $"synth_{index:D6}.png";

    /// <summary>Makes image <paramref name="index"/> and its labels; the caller disposes the image.</summary>
    public static (RgbaImage Image, Annotation Annotation) Generate(SyntheticSpec spec, int index)
    {
        if (spec.Width < 16 || spec.Height < 16 || spec.Kinds.Count == 0 || spec.MinShapes < 0 || spec.MaxShapes < spec.MinShapes || spec.MinRadius <= 0 || spec.MaxRadius < spec.MinRadius)
        {
            throw new ArgumentException("synthetic: need width, height ≥ 16, at least one kind, 0 ≤ minShapes ≤ maxShapes and 0 < minRadius ≤ maxRadius", nameof(spec));
        }

        var rng = new Xoshiro256(Xoshiro256.DeriveSeed(spec.Seed, "synthetic", index));
        int w = spec.Width, h = spec.Height;
        var image = new RgbaImage(w, h);
        Background(image, rng, spec.NoiseSigma);

        var labels = new List<Label>();
        var placed = new List<(double X, double Y, double R)>();
        var n = rng.NextInt(spec.MinShapes, spec.MaxShapes + 1);
        var maxR = Math.Min(spec.MaxRadius, Math.Min(w, h) / 2.0 - 1);
        for (var s = 0; s < n; s++)
        {
            var kind = spec.Kinds[rng.NextInt(spec.Kinds.Count)];
            double r = 0, cx = 0, cy = 0;
            var ok = false;
            for (var attempt = 0; attempt < 50 && !ok; attempt++)
            {
                r = rng.NextDouble(Math.Min(spec.MinRadius, maxR), maxR);
                cx = rng.NextDouble(r, w - r);
                cy = rng.NextDouble(r, h - r);
                ok = !spec.AvoidOverlap || placed.All(p => Math.Sqrt(((p.X - cx) * (p.X - cx)) + ((p.Y - cy) * (p.Y - cy))) > p.R + r + 2);
            }

            if (!ok)
            {
                continue;
            }

            placed.Add((cx, cy, r));
            var ring = Outline(kind, cx, cy, r, rng.NextDouble(0, Math.PI));
            var color = (uint)rng.NextInt(256) | ((uint)rng.NextInt(256) << 8) | ((uint)rng.NextInt(256) << 16) | 0xFF000000u;
            var px = image.Pixels;
            foreach (var (y, x0, x1) in Rasterizer.Spans([ring], w, h))
            {
                px.Slice((y * w) + x0, x1 - x0).Fill(color);
            }

            var polygon = new PolygonGeometry(ring);
            Core.Model.Geometry geometry = spec.LabelShape == GeometryKind.Rectangle
                ? new RectangleGeometry(Clipping.Intersect(polygon.Bounds(), new BoxD(0, 0, w, h)))
                : polygon;
            labels.Add(new Label(ClassName(kind), geometry));
        }

        return (image, new Annotation(w, h, [], labels));
    }

    /// <summary>The outline of a shape (counter-clockwise in angle, clockwise on screen).</summary>
    public static List<PointD> Outline(ShapeKind kind, double cx, double cy, double r, double rotation)
    {
        var ring = new List<PointD>();
        switch (kind)
        {
            case ShapeKind.Circle:
                for (var k = 0; k < 32; k++)
                {
                    ring.Add(new PointD(cx + (r * Math.Cos(2 * Math.PI * k / 32)), cy + (r * Math.Sin(2 * Math.PI * k / 32))));
                }

                break;
            case ShapeKind.Star:
                for (var k = 0; k < 10; k++)
                {
                    var rr = k % 2 == 0 ? r : r * 0.45;
                    var a = rotation + (Math.PI * k / 5);
                    ring.Add(new PointD(cx + (rr * Math.Cos(a)), cy + (rr * Math.Sin(a))));
                }

                break;
            default:
                var n = kind switch { ShapeKind.Square => 4, ShapeKind.Triangle => 3, _ => 6 };
                for (var k = 0; k < n; k++)
                {
                    var a = rotation + (2 * Math.PI * k / n);
                    ring.Add(new PointD(cx + (r * Math.Cos(a)), cy + (r * Math.Sin(a))));
                }

                break;
        }

        return ring;
    }

    private static void Background(RgbaImage image, Xoshiro256 rng, double sigma)
    {
        int w = image.Width, h = image.Height;
        double[] c0 = [rng.NextInt(256), rng.NextInt(256), rng.NextInt(256)];
        double[] c1 = [rng.NextInt(256), rng.NextInt(256), rng.NextInt(256)];
        var row = image.Pixels[..w];
        for (var x = 0; x < w; x++)
        {
            var t = w == 1 ? 0 : (double)x / (w - 1);
            uint Channel(int c) => Kernels.ClampByte((c0[c] * (1 - t)) + (c1[c] * t));
            row[x] = Channel(0) | (Channel(1) << 8) | (Channel(2) << 16) | 0xFF000000u;
        }

        for (var y = 1; y < h; y++)
        {
            row.CopyTo(image.Pixels.Slice(y * w, w));
        }

        if (sigma > 0)
        {
            Noise.AddGaussian(image.Pixels, sigma, rng.NextUInt64());
        }
    }
}
