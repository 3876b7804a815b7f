using System.Text.Json.Serialization;

namespace Cairn.Operations.Benchmarks;

/// <summary>One benchmark image: where it is in the version, its size, and its ground truths and detections with outcomes.</summary>
public sealed record MatchedImage(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("w")] int Width,
    [property: JsonPropertyName("h")] int Height,
    [property: JsonPropertyName("gt")] IReadOnlyList<MatchedBox> GroundTruths,
    [property: JsonPropertyName("dt")] IReadOnlyList<MatchedBox> Detections)
{
    /// <summary>True positives (detections).</summary>
    [JsonIgnore]
    public int Tp => Detections.Count(d => d.Outcome == MatchedBox.Tp);

    /// <summary>False positives.</summary>
    [JsonIgnore]
    public int Fp => Detections.Count(d => d.Outcome == MatchedBox.Fp);

    /// <summary>False negatives (missed ground truths).</summary>
    [JsonIgnore]
    public int Fn => GroundTruths.Count(g => g.Outcome == MatchedBox.Fn);

    /// <summary>Whether this image holds a confusion-matrix cell: ground truth <paramref name="actual"/> predicted as <paramref name="predicted"/> (-1: background).</summary>
    public bool HasConfusion(int actual, int predicted) =>
        predicted >= 0
            ? Detections.Any(d => d.Class == predicted && d.Other == actual && d.Outcome != MatchedBox.Ignored)
            : GroundTruths.Any(g => g.Class == actual && g.Other == -1 && g.Outcome != MatchedBox.Ignored);
}
