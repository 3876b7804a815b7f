using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Evaluation.Coco;

namespace Cairn.Operations.Benchmarks;

/// <summary>
/// The per-image outcome of a benchmark, stored beside its report (<c>matches.json</c>, kind <c>matches</c>) so the
/// image pages are drawn without running the model again: detections at or above the report's confidence threshold,
/// matched to the ground truth at its IoU threshold. Format version <see cref="FormatVersion"/>; images are in the
/// version's order, so image <c>n</c> is the version's item <c>n</c>.
/// </summary>
public sealed record BenchmarkMatches(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("iou")] double Iou,
    [property: JsonPropertyName("conf")] double Confidence,
    [property: JsonPropertyName("classes")] IReadOnlyList<string> Classes,
    [property: JsonPropertyName("images")] IReadOnlyList<MatchedImage> Images)
{
    /// <summary>The format version this code writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The file kind a benchmark registers the document under.</summary>
    public const string FileKind = "matches";

    private static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The workspace folder of an evaluation's matches (one per evaluation id).</summary>
    public static string Folder(long evaluationId) => $"benchmarks/evaluations/{evaluationId}/";

    /// <summary>Compact JSON.</summary>
    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, Options);

    /// <summary>Reads a stored document; a wrong version or shape is an error naming what was expected.</summary>
    public static BenchmarkMatches Parse(ReadOnlySpan<byte> utf8, string source)
    {
        BenchmarkMatches? doc;
        try
        {
            doc = JsonSerializer.Deserialize<BenchmarkMatches>(utf8, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a benchmark matches document ({e.Path}: {e.Message})", e);
        }

        if (doc is null || doc.Version != FormatVersion || doc.Classes is null || doc.Images is null)
        {
            throw new InvalidDataException($"{source}: expected a benchmark matches document of format version {FormatVersion}");
        }

        return doc;
    }

    /// <summary>
    /// Matches detections to ground truth image by image, as COCO does at one IoU threshold: detections at or above
    /// <paramref name="confidence"/>, best first, each take the unmatched ground truth of their class with the highest
    /// IoU (at least <paramref name="iou"/>); one that overlaps only a crowd region is ignored. The class-agnostic pass
    /// of the confusion matrix runs beside it (any class, same order).
    /// </summary>
    public static BenchmarkMatches Compute(CocoDataset groundTruth, IReadOnlyList<CocoDetection> detections, IReadOnlyList<BenchmarkImage> images, double iou, double confidence)
    {
        var byImage = new Dictionary<long, List<CocoDetection>>();
        foreach (var d in detections)
        {
            if (d.Score >= confidence && d.Box is not null)
            {
                if (!byImage.TryGetValue(d.ImageId, out var list))
                {
                    byImage[d.ImageId] = list = [];
                }

                list.Add(d);
            }
        }

        var gtByImage = groundTruth.Annotations.GroupBy(a => a.ImageId).ToDictionary(g => g.Key, g => g.ToArray());
        var result = new List<MatchedImage>(images.Count);
        foreach (var image in groundTruth.Images)
        {
            var info = images[(int)image.Id - 1];
            var gts = gtByImage.GetValueOrDefault(image.Id, []);
            var dts = byImage.GetValueOrDefault(image.Id, []).OrderByDescending(d => d.Score).ToArray();
            result.Add(MatchImage(info, gts, dts, iou));
        }

        return new BenchmarkMatches(FormatVersion, iou, confidence, [.. groundTruth.Categories.Select(c => c.Name)], result);
    }

    private static MatchedImage MatchImage(BenchmarkImage info, CocoAnnotation[] gts, CocoDetection[] dts, double threshold)
    {
        var gtOutcome = gts.Select(g => g.IsCrowd ? MatchedBox.Ignored : MatchedBox.Fn).ToArray();
        var gtOther = new int[gts.Length];
        Array.Fill(gtOther, -1);
        var dtOutcome = new string[dts.Length];
        var dtOther = new int[dts.Length];
        var usedAgnostic = new bool[gts.Length];
        for (var j = 0; j < dts.Length; j++)
        {
            var d = dts[j];
            var box = d.Box!.Value;

            // Class-aware: COCO's greedy match.
            var best = -1;
            var bestIou = threshold;
            var onCrowd = false;
            for (var q = 0; q < gts.Length; q++)
            {
                var g = gts[q];
                if (g.CategoryId != d.CategoryId)
                {
                    continue;
                }

                var v = Overlap(box, g.Box, g.IsCrowd);
                if (g.IsCrowd)
                {
                    onCrowd |= v >= threshold;
                }
                else if (gtOutcome[q] == MatchedBox.Fn && v >= bestIou)
                {
                    best = q;
                    bestIou = v;
                }
            }

            if (best >= 0)
            {
                gtOutcome[best] = MatchedBox.Tp;
                dtOutcome[j] = MatchedBox.Tp;
            }
            else
            {
                dtOutcome[j] = onCrowd ? MatchedBox.Ignored : MatchedBox.Fp;
            }

            // Class-agnostic: what the confusion matrix counts.
            var agnostic = -1;
            var agnosticIou = -1.0;
            var agnosticCrowd = false;
            for (var q = 0; q < gts.Length; q++)
            {
                var v = Overlap(box, gts[q].Box, gts[q].IsCrowd);
                if (v < threshold)
                {
                    continue;
                }

                if (gts[q].IsCrowd)
                {
                    agnosticCrowd = true;
                }
                else if (!usedAgnostic[q] && v > agnosticIou)
                {
                    agnostic = q;
                    agnosticIou = v;
                }
            }

            if (agnostic >= 0)
            {
                usedAgnostic[agnostic] = true;
                dtOther[j] = (int)gts[agnostic].CategoryId - 1;
                gtOther[agnostic] = (int)d.CategoryId - 1;
            }
            else
            {
                dtOther[j] = agnosticCrowd ? -2 : -1;
            }
        }

        var gtBoxes = gts.Select((g, q) => new MatchedBox((int)g.CategoryId - 1, Box(g.Box), gtOutcome[q], gtOther[q])).ToArray();
        var dtBoxes = dts.Select((d, j) => new MatchedBox((int)d.CategoryId - 1, Box(d.Box!.Value), dtOutcome[j], dtOther[j], Math.Round(d.Score, 4))).ToArray();
        return new MatchedImage(info.Dataset, info.Name, info.ImageId, info.Width, info.Height, gtBoxes, dtBoxes);
    }

    private static double[] Box(CocoBox b) => [Math.Round(b.X, 2), Math.Round(b.Y, 2), Math.Round(b.Width, 2), Math.Round(b.Height, 2)];

    // COCO's IoU; against a crowd region the union is the detection's own area.
    private static double Overlap(CocoBox d, CocoBox g, bool crowd)
    {
        var w = Math.Min(d.X + d.Width, g.X + g.Width) - Math.Max(d.X, g.X);
        var h = Math.Min(d.Y + d.Height, g.Y + g.Height) - Math.Max(d.Y, g.Y);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        var inter = w * h;
        var union = crowd ? d.Width * d.Height : (d.Width * d.Height) + (g.Width * g.Height) - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
