namespace Cairn.Storage.Maintenance;

/// <summary>The outcome of a consistency check; <see cref="Ok"/> is false when any object is corrupt, missing or damaged.</summary>
public sealed record FsckReport(
    long ObjectsChecked,
    long BytesChecked,
    long ItemsChecked,
    int VersionsChecked,
    int NodesChecked,
    IReadOnlyList<FsckProblem> Problems,
    long ElapsedMs)
{
    /// <summary>Findings that lose nothing: corrupt objects that nothing references (gc removes them).</summary>
    public IReadOnlyList<FsckProblem> Warnings { get; init; } = [];

    /// <summary>True when nothing is wrong with what the catalog and the versions reference.</summary>
    public bool Ok => Problems.Count == 0;
}
