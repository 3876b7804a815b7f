namespace Cairn.Storage.Benchmarks;

/// <summary>A version an evaluation ran on, named for display: <c>Project@Number</c>.</summary>
public sealed record EvaluatedVersion(long Id, int Number, long ProjectId, string ProjectName)
{
    /// <inheritdoc/>
    public override string ToString() => $"{ProjectName}@{Number}";
}
