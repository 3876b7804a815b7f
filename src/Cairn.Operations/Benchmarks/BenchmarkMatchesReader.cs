using Cairn.Operations.Files;

namespace Cairn.Operations.Benchmarks;

/// <summary>Reads an evaluation's stored per-image matches (benchmarks run before they were stored have none).</summary>
public sealed class BenchmarkMatchesReader(FileService files)
{
    /// <summary>The matches of an evaluation, or null when it has none.</summary>
    public BenchmarkMatches? Read(long evaluationId)
    {
        var file = files.Newest(BenchmarkMatches.Folder(evaluationId), BenchmarkMatches.FileKind);
        return file is null ? null : BenchmarkMatches.Parse(files.Read(file), file.Path);
    }
}
