using Cairn.Core.Masks;
using Cairn.Core.Model;
using Cairn.Operations.Imaging;

namespace Cairn.Operations.Geometry;

/// <summary>
/// Maps labels of every kind through an affine map and clips them to a window: polygons (holes too) by
/// Sutherland–Hodgman, polylines by Liang–Barsky, boxes re-fitted from their mapped corners, masks resampled
/// nearest, points and keypoints outside the window dropped or marked unlabelled.
/// </summary>
public static class LabelTransform
{
    /// <summary>
    /// Maps <paramref name="labels"/> from a srcW×srcH image into a dstW×dstH image, keeping only what lies inside
    /// <paramref name="clip"/>; a label whose visible fraction (area, length or node count) is below
    /// <paramref name="minVisible"/> or that has nothing left is removed. Keypoint classes whose node names pair
    /// left/right are swapped under a mirroring map when <paramref name="meta"/> is given.
    /// </summary>
    public static List<Label> Apply(
        IReadOnlyList<Label> labels, Affine map, int srcW, int srcH, int dstW, int dstH, BoxD clip, double minVisible, ProjectMeta? meta = null)
    {
        var result = new List<Label>(labels.Count);
        var mirror = map.Determinant < 0;
        foreach (var label in labels)
        {
            switch (label.Geometry)
            {
                case RectangleGeometry r:
                {
                    var b = r.Box;
                    var mapped = BoxD.Enclosing([map.Apply(new(b.Left, b.Top)), map.Apply(new(b.Right, b.Top)), map.Apply(new(b.Right, b.Bottom)), map.Apply(new(b.Left, b.Bottom))]);
                    var kept = Clipping.Intersect(mapped, clip);
                    var before = mapped.Width * mapped.Height;
                    var after = kept.Width * kept.Height;
                    if (after > 0 && Visible(after, before, minVisible))
                    {
                        result.Add(label with { Geometry = new RectangleGeometry(kept) });
                    }

                    break;
                }

                case PolygonGeometry p:
                {
                    var ext = MapRing(p.Exterior, map, mirror);
                    var before = Math.Abs(PolygonGeometry.Shoelace(ext));
                    var clippedExt = Clipping.ClipRing(ext, clip);
                    if (clippedExt.Count < 3)
                    {
                        break;
                    }

                    var after = Math.Abs(PolygonGeometry.Shoelace(clippedExt));
                    var holes = new List<IReadOnlyList<PointD>>(p.Interiors.Count);
                    foreach (var hole in p.Interiors)
                    {
                        var mh = MapRing(hole, map, mirror);
                        before -= Math.Abs(PolygonGeometry.Shoelace(mh));
                        var ch = Clipping.ClipRing(mh, clip);
                        if (ch.Count >= 3)
                        {
                            after -= Math.Abs(PolygonGeometry.Shoelace(ch));
                            holes.Add(ch);
                        }
                    }

                    if (after > 1e-9 && Visible(after, before, minVisible))
                    {
                        result.Add(label with { Geometry = new PolygonGeometry(clippedExt, holes) });
                    }

                    break;
                }

                case MaskGeometry m:
                {
                    var src = m.Rle.Decode();
                    var dst = Warp.NearestMask(src, m.Rle.Width, m.Rle.Height, map, dstW, dstH, clip);
                    var rle = Rle.Encode(dst, dstH, dstW);
                    var after = rle.Area();
                    var before = m.Rle.Area() * Math.Abs(map.Determinant);
                    if (after > 0 && Visible(after, before, minVisible))
                    {
                        result.Add(label with { Geometry = new MaskGeometry(rle) });
                    }

                    break;
                }

                case PointGeometry pt:
                {
                    var q = map.Apply(pt.Point);
                    if (Clipping.Contains(clip, q))
                    {
                        result.Add(label with { Geometry = new PointGeometry(q) });
                    }

                    break;
                }

                case PolylineGeometry line:
                {
                    var mapped = line.Points.Select(map.Apply).ToList();
                    var before = Clipping.Length(mapped);
                    var pieces = Clipping.ClipPolyline(mapped, clip).Where(x => x.Count >= 2).ToList();
                    var after = pieces.Sum(Clipping.Length);
                    if (pieces.Count > 0 && Visible(after, before, minVisible))
                    {
                        result.AddRange(pieces.Select(piece => label with { Geometry = new PolylineGeometry(piece) }));
                    }

                    break;
                }

                case KeypointsGeometry k:
                {
                    var nodes = new Keypoint[k.Nodes.Count];
                    int before = 0, after = 0;
                    for (var i = 0; i < nodes.Length; i++)
                    {
                        var n = k.Nodes[i];
                        if (n.Visibility == 0)
                        {
                            nodes[i] = n;
                            continue;
                        }

                        before++;
                        var q = map.Apply(new PointD(n.X, n.Y));
                        if (Clipping.Contains(clip, q))
                        {
                            nodes[i] = new Keypoint(q.X, q.Y, n.Visibility);
                            after++;
                        }
                        else
                        {
                            nodes[i] = new Keypoint(0, 0, 0);
                        }
                    }

                    if (mirror && meta?.FindClass(label.ClassName)?.Keypoints is { } template)
                    {
                        nodes = SwapLeftRight(nodes, template);
                    }

                    if (after > 0 && Visible(after, before, minVisible))
                    {
                        result.Add(label with { Geometry = new KeypointsGeometry(nodes) });
                    }

                    break;
                }

                default:
                    throw new NotSupportedException($"Label geometry {label.Geometry.GetType().Name} is not supported by the affine transform.");
            }
        }

        return result;
    }

    /// <summary>
    /// For each node, the index of its mirror twin: names that differ only by left/right (any case, also l_/r_ prefixes);
    /// unpaired nodes map to themselves.
    /// </summary>
    public static int[] MirrorPairs(IReadOnlyList<string> names)
    {
        var pairs = new int[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            pairs[i] = i;
            var twin = Twin(names[i]);
            if (twin is null)
            {
                continue;
            }

            for (var j = 0; j < names.Count; j++)
            {
                if (j != i && string.Equals(names[j], twin, StringComparison.OrdinalIgnoreCase))
                {
                    pairs[i] = j;
                }
            }
        }

        return pairs;
    }

    private static string? Twin(string name)
    {
        var lower = name.ToLowerInvariant();
        if (lower.Contains("left", StringComparison.Ordinal))
        {
            return lower.Replace("left", "right", StringComparison.Ordinal);
        }

        if (lower.Contains("right", StringComparison.Ordinal))
        {
            return lower.Replace("right", "left", StringComparison.Ordinal);
        }

        if (lower.StartsWith("l_", StringComparison.Ordinal))
        {
            return "r_" + lower[2..];
        }

        return lower.StartsWith("r_", StringComparison.Ordinal) ? "l_" + lower[2..] : null;
    }

    private static Keypoint[] SwapLeftRight(Keypoint[] nodes, KeypointTemplate template)
    {
        if (template.Nodes.Count != nodes.Length)
        {
            return nodes;
        }

        var pairs = MirrorPairs(template.Nodes);
        var swapped = new Keypoint[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            swapped[i] = nodes[pairs[i]];
        }

        return swapped;
    }

    private static bool Visible(double after, double before, double minVisible) =>
        minVisible <= 0 || before <= 0 || after / before >= minVisible - 1e-12;

    // A mirroring map reverses the winding; reversing the ring keeps the original orientation.
    private static List<PointD> MapRing(IReadOnlyList<PointD> ring, Affine map, bool mirror)
    {
        var result = new List<PointD>(ring.Count);
        foreach (var p in ring)
        {
            result.Add(map.Apply(p));
        }

        if (mirror)
        {
            result.Reverse();
        }

        return result;
    }
}
