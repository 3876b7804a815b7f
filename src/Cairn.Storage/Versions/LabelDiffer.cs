using Cairn.Core.Model;
using Cairn.Core.Serialization;

namespace Cairn.Storage.Versions;

/// <summary>
/// Pairs the labels of one item's two annotations, label by label: identical labels (same canonical JSON) are the
/// same; of the rest, a before and an after label of the same shape that overlap (box IoU ≥ 0.5, or points within
/// 2 % of the image's longer side) are one label changed; what is left was removed or added.
/// </summary>
public static class LabelDiffer
{
    /// <summary>The minimum overlap score for two different labels to count as one label changed.</summary>
    public const double MatchScore = 0.5;

    /// <summary>Every label of both sides, once: same and changed in the after side's order, then removed, then added.</summary>
    public static IReadOnlyList<LabelChange> Diff(Annotation before, Annotation after)
    {
        var leftKeys = before.Labels.Select(Key).ToList();
        var unmatchedLeft = new Dictionary<string, Queue<int>>(StringComparer.Ordinal);
        for (var i = 0; i < leftKeys.Count; i++)
        {
            if (!unmatchedLeft.TryGetValue(leftKeys[i], out var q))
            {
                unmatchedLeft[leftKeys[i]] = q = new Queue<int>();
            }

            q.Enqueue(i);
        }

        var pairOfRight = new int[after.Labels.Count];
        var leftUsed = new bool[before.Labels.Count];
        for (var j = 0; j < after.Labels.Count; j++)
        {
            pairOfRight[j] = -1;
            if (unmatchedLeft.TryGetValue(Key(after.Labels[j]), out var q) && q.Count > 0)
            {
                pairOfRight[j] = q.Dequeue();
                leftUsed[pairOfRight[j]] = true;
            }
        }

        var same = pairOfRight.Select(p => p >= 0).ToArray();
        var scale = Math.Max(1, Math.Max(Math.Max(before.Width, before.Height), Math.Max(after.Width, after.Height)));
        var candidates = new List<(double Score, int Left, int Right)>();
        for (var i = 0; i < before.Labels.Count; i++)
        {
            if (leftUsed[i])
            {
                continue;
            }

            for (var j = 0; j < after.Labels.Count; j++)
            {
                if (pairOfRight[j] < 0 && before.Labels[i].Geometry.Kind == after.Labels[j].Geometry.Kind)
                {
                    var score = Score(before.Labels[i].Geometry.Bounds(), after.Labels[j].Geometry.Bounds(), scale);
                    if (score >= MatchScore)
                    {
                        candidates.Add((score, i, j));
                    }
                }
            }
        }

        foreach (var (_, i, j) in candidates.OrderByDescending(c => c.Score).ThenBy(c => c.Left).ThenBy(c => c.Right))
        {
            if (!leftUsed[i] && pairOfRight[j] < 0)
            {
                leftUsed[i] = true;
                pairOfRight[j] = i;
            }
        }

        var result = new List<LabelChange>(before.Labels.Count + after.Labels.Count);
        for (var j = 0; j < after.Labels.Count; j++)
        {
            if (pairOfRight[j] >= 0)
            {
                result.Add(new LabelChange(same[j] ? LabelChangeKind.Same : LabelChangeKind.Changed, before.Labels[pairOfRight[j]], after.Labels[j]));
            }
        }

        for (var i = 0; i < before.Labels.Count; i++)
        {
            if (!leftUsed[i])
            {
                result.Add(new LabelChange(LabelChangeKind.Removed, before.Labels[i], null));
            }
        }

        for (var j = 0; j < after.Labels.Count; j++)
        {
            if (pairOfRight[j] < 0)
            {
                result.Add(new LabelChange(LabelChangeKind.Added, null, after.Labels[j]));
            }
        }

        return result;
    }

    private static string Key(Label label) => AnnotationJson.ToJson(new Annotation(0, 0, [], [label]));

    private static double Score(BoxD a, BoxD b, double scale)
    {
        if (a.Width * a.Height <= 0 || b.Width * b.Height <= 0)
        {
            // Points (and lines with no area): near enough is the same label moved.
            var dx = ((a.Left + a.Right) / 2) - ((b.Left + b.Right) / 2);
            var dy = ((a.Top + a.Bottom) / 2) - ((b.Top + b.Bottom) / 2);
            return 1 - (Math.Sqrt((dx * dx) + (dy * dy)) / (0.04 * scale));
        }

        var w = Math.Min(a.Right, b.Right) - Math.Max(a.Left, b.Left);
        var h = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Top, b.Top);
        var inter = w > 0 && h > 0 ? w * h : 0;
        return inter / ((a.Width * a.Height) + (b.Width * b.Height) - inter);
    }
}
