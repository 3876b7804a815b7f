using Cairn.Evaluation.Coco.Internal;

namespace Cairn.Evaluation.Tests.Coco;

public sealed class ScoreSortTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 7)]
    [InlineData(1000, 3)]
    [InlineData(5000, 11)]
    public void Orders_as_a_stable_sort_on_descending_score(int n, int seed)
    {
        // Few distinct values (many ties), both zeros, negatives, extremes: what numpy's mergesort on -score keeps.
        var random = new Random(seed);
        double[] pool = [0.0, -0.0, 1.0, 0.5, 0.25, -0.25, -3.5, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 0.1 + 0.2, 0.3];
        var scores = new double[n];
        for (var i = 0; i < n; i++)
        {
            scores[i] = random.Next(3) == 0 ? random.NextDouble() : pool[random.Next(pool.Length)];
        }

        var items = Enumerable.Range(0, n).ToArray();
        var keys = items.Select(i => ScoreSort.Key(scores[i])).ToArray();
        ScoreSort.Sort(keys, items);

        var expected = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ToArray(); // stable; -0.0 == 0.0
        Assert.Equal(expected, items);
        Assert.True(keys.Zip(keys.Skip(1)).All(p => p.First <= p.Second));
    }
}
