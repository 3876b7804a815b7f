namespace Cairn.Storage.Maintenance;

/// <summary>What a garbage collection found and removed; <see cref="PacksMerged"/> packs were rewritten into fewer, larger ones.</summary>
public sealed record GcReport(
    long ObjectsScanned,
    long ObjectsReferenced,
    long ObjectsRemoved,
    long BytesRemoved,
    long KeptYoung,
    int TemporaryFilesRemoved,
    bool DryRun,
    long ElapsedMs,
    int PacksMerged = 0);
