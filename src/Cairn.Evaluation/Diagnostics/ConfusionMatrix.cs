namespace Cairn.Evaluation.Diagnostics;

/// <summary>
/// Class-agnostic matching counts: rows are the ground-truth class, columns the predicted class; the last label
/// is "background" (row: detections that matched nothing; column: ground truths that nothing matched).
/// </summary>
public sealed record ConfusionMatrix(IReadOnlyList<string> Labels, IReadOnlyList<IReadOnlyList<int>> Counts)
{
    /// <summary>Count of ground truth <paramref name="actual"/> predicted as <paramref name="predicted"/> (label indices).</summary>
    public int this[int actual, int predicted] => Counts[actual][predicted];
}
