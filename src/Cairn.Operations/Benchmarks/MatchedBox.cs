using System.Text.Json.Serialization;

namespace Cairn.Operations.Benchmarks;

/// <summary>
/// One box of a benchmark image: a ground truth or a detection, its class (index into
/// <see cref="BenchmarkMatches.Classes"/>), its box <c>[x, y, w, h]</c> in pixels and its outcome. <see cref="Other"/> is
/// the class-agnostic counterpart the confusion matrix counts: for a detection, the class of the ground truth it
/// overlaps (-1 for background); for a ground truth, the class predicted on it (-1 when nothing was).
/// </summary>
public sealed record MatchedBox(
    [property: JsonPropertyName("c")] int Class,
    [property: JsonPropertyName("b")] double[] Box,
    [property: JsonPropertyName("o")] string Outcome,
    [property: JsonPropertyName("x")] int Other,
    [property: JsonPropertyName("s"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Score = null)
{
    /// <summary>A detection that matched a ground truth of its class, or the ground truth it matched.</summary>
    public const string Tp = "tp";

    /// <summary>A detection that matched nothing of its class.</summary>
    public const string Fp = "fp";

    /// <summary>A ground truth no detection of its class matched.</summary>
    public const string Fn = "fn";

    /// <summary>A crowd region, or a detection only on one: counted neither way, as COCO does.</summary>
    public const string Ignored = "ignored";
}
