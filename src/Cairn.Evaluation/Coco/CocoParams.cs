namespace Cairn.Evaluation.Coco;

/// <summary>COCOeval parameters; the defaults are pycocotools' detection defaults.</summary>
public sealed record CocoParams
{
    /// <summary>pycocotools' defaults: IoU .50:.05:.95, 101 recall points, maxDets 1/10/100, areas all/small/medium/large.</summary>
    public static CocoParams Default { get; } = new();

    /// <summary>IoU thresholds, computed as numpy's linspace(.5, .95, 10) so they equal pycocotools' bit for bit.</summary>
    public IReadOnlyList<double> IouThresholds { get; init; } = Linspace(.5, .95, 10);

    /// <summary>Recall thresholds, numpy's linspace(0, 1, 101).</summary>
    public IReadOnlyList<double> RecallThresholds { get; init; } = Linspace(0, 1, 101);

    /// <summary>Detections kept per image and category; the last is the one matching uses.</summary>
    public IReadOnlyList<int> MaxDetections { get; init; } = [1, 10, 100];

    /// <summary>Area ranges (inclusive bounds).</summary>
    public IReadOnlyList<CocoAreaRange> AreaRanges { get; init; } =
    [
        new("all", 0, 1e5 * 1e5),
        new("small", 0, 32 * 32),
        new("medium", 32 * 32, 96 * 96),
        new("large", 96 * 96, 1e5 * 1e5),
    ];

    /// <summary>numpy.linspace(start, stop, num) with endpoint: start + i·step, last value exactly stop.</summary>
    public static double[] Linspace(double start, double stop, int num)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(num, 1);
        var y = new double[num];
        if (num == 1)
        {
            y[0] = start;
            return y;
        }

        var step = (stop - start) / (num - 1);
        for (var i = 0; i < num; i++)
        {
            y[i] = (i * step) + start;
        }

        y[^1] = stop;
        return y;
    }
}
