namespace Cairn.Operations.Split;

/// <summary>
/// A split: parts with ratios (summing to 1) or counts (summing to at most the number of items; the rest stay
/// unassigned), random or stratified by class, seeded. JSON:
/// <c>{"seed": 1, "stratified": true, "target": "datasets", "parts": [{"name": "train", "ratio": 0.8}, {"name": "val", "ratio": 0.2}]}</c>.
/// </summary>
public sealed record SplitSpec
{
    /// <summary>Seed of the shuffle.</summary>
    public ulong Seed { get; init; }

    /// <summary>The parts, in order.</summary>
    public IReadOnlyList<SplitPart> Parts { get; init; } = [];

    /// <summary>Keep each class's share equal across parts (items are grouped by their rarest class).</summary>
    public bool Stratified { get; init; }

    /// <summary>Datasets or tags.</summary>
    public SplitTarget Target { get; init; } = SplitTarget.Datasets;

    /// <summary>For datasets: keep the original dataset path under the part (<c>train/city</c>) instead of replacing it.</summary>
    public bool KeepDatasetPath { get; init; }
}
