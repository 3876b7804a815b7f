using Cairn.Core.Model;

namespace Cairn.Operations.Split;

/// <summary>Splits items into parts by ratio or count, randomly or stratified by class, reproducibly for a seed.</summary>
public static class Splitter
{
    /// <summary>Splits <paramref name="items"/>; throws <see cref="ArgumentException"/> for parts that do not add up.</summary>
    public static SplitResult Split(IReadOnlyList<ItemRecord> items, SplitSpec spec)
    {
        var parts = spec.Parts;

        // Items a count split leaves out form one more, unnamed part, so they too are drawn evenly from every stratum.
        var named = Targets(items.Count, spec);
        var targets = named.Append(items.Count - named.Sum()).ToArray();

        // Order-independent: sort by identity first, so the same set of items splits the same way however listed.
        var order = Enumerable.Range(0, items.Count)
            .OrderBy(i => items[i].Dataset, StringComparer.Ordinal)
            .ThenBy(i => items[i].Name, StringComparer.Ordinal)
            .ToArray();
        var rng = new Xoshiro256(spec.Seed);
        var assignment = new int[items.Count];
        Array.Fill(assignment, -1);
        var assigned = new int[targets.Length];
        var share = targets.Select(t => items.Count == 0 ? 0 : (double)t / items.Count).ToArray();

        foreach (var stratum in Strata(items, order, spec.Stratified))
        {
            var members = stratum.ToArray();
            rng.Shuffle(members.AsSpan());
            var got = new int[targets.Length];
            for (var k = 0; k < members.Length; k++)
            {
                // The part furthest below its share of this stratum so far, among parts with room left.
                var best = -1;
                var bestDeficit = double.NegativeInfinity;
                for (var p = 0; p < targets.Length; p++)
                {
                    if (assigned[p] >= targets[p])
                    {
                        continue;
                    }

                    var deficit = (share[p] * (k + 1)) - got[p];
                    if (deficit > bestDeficit + 1e-12)
                    {
                        best = p;
                        bestDeficit = deficit;
                    }
                }

                if (best < 0)
                {
                    break;
                }

                assignment[members[k]] = best;
                got[best]++;
                assigned[best]++;
            }
        }

        var result = new List<ItemRecord>(named.Sum());
        for (var i = 0; i < items.Count; i++)
        {
            var p = assignment[i];
            if (p < 0 || p == parts.Count)
            {
                continue;
            }

            var item = items[i];
            var name = parts[p].Name;
            result.Add(spec.Target == SplitTarget.Tags
                ? item with { Annotation = item.Annotation with { Tags = [.. item.Annotation.Tags.Where(t => t.Name != name), new Tag(name)] } }
                : item with { Dataset = spec.KeepDatasetPath && item.Dataset.Length > 0 ? $"{name}/{item.Dataset}" : name });
        }

        var counts = parts.Select((p, i) => (p.Name, assigned[i])).ToDictionary(x => x.Name, x => x.Item2);
        return new SplitResult(result, counts, items.Count - result.Count);
    }

    /// <summary>Items per part: exact counts, or ratios turned into counts by the largest-remainder method (they sum to n).</summary>
    public static int[] Targets(int n, SplitSpec spec)
    {
        var parts = spec.Parts;
        if (parts.Count == 0)
        {
            throw new ArgumentException("split: give at least one part", nameof(spec));
        }

        if (parts.Select(p => p.Name).Distinct().Count() != parts.Count)
        {
            throw new ArgumentException("split: part names must be distinct", nameof(spec));
        }

        if (parts.All(p => p.Count is not null))
        {
            if (parts.Any(p => p.Count < 0) || parts.Sum(p => p.Count!.Value) > n)
            {
                throw new ArgumentException($"split: counts {string.Join(", ", parts.Select(p => p.Count))} must be ≥ 0 and sum to at most the {n} items", nameof(spec));
            }

            return parts.Select(p => p.Count!.Value).ToArray();
        }

        if (parts.Any(p => p.Ratio is null or < 0))
        {
            throw new ArgumentException("split: give every part a ratio ≥ 0, or every part a count", nameof(spec));
        }

        var sum = parts.Sum(p => p.Ratio!.Value);
        if (Math.Abs(sum - 1) > 1e-6)
        {
            throw new ArgumentException($"split: ratios sum to {sum}, expected 1", nameof(spec));
        }

        var exact = parts.Select(p => p.Ratio!.Value * n).ToArray();
        var targets = exact.Select(x => (int)Math.Floor(x)).ToArray();
        var left = n - targets.Sum();
        foreach (var p in Enumerable.Range(0, parts.Count).OrderByDescending(i => exact[i] - targets[i]).ThenBy(i => i).Take(left))
        {
            targets[p]++;
        }

        return targets;
    }

    // Stratum of an item: its rarest class over the whole set (ties by name), or "" for items without labels;
    // rare strata go first so they get their exact shares before the parts fill up.
    private static IEnumerable<IEnumerable<int>> Strata(IReadOnlyList<ItemRecord> items, int[] order, bool stratified)
    {
        if (!stratified)
        {
            return [order];
        }

        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            foreach (var c in item.Annotation.Labels.Select(l => l.ClassName).Distinct())
            {
                frequency[c] = frequency.GetValueOrDefault(c) + 1;
            }
        }

        string Key(ItemRecord item) => item.Annotation.Labels
            .Select(l => l.ClassName)
            .Distinct()
            .OrderBy(c => frequency[c])
            .ThenBy(c => c, StringComparer.Ordinal)
            .FirstOrDefault() ?? string.Empty;

        return order
            .GroupBy(i => Key(items[i]))
            .OrderBy(g => g.Key.Length == 0 ? int.MaxValue : frequency[g.Key])
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (IEnumerable<int>)g);
    }
}
