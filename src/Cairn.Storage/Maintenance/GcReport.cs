namespace Cairn.Storage.Maintenance;

/// <summary>What a garbage collection found and removed.</summary>
public sealed record GcReport(
    long ObjectsScanned,
    long ObjectsReferenced,
    long ObjectsRemoved,
    long BytesRemoved,
    long KeptYoung,
    int TemporaryFilesRemoved,
    bool DryRun,
    long ElapsedMs);
