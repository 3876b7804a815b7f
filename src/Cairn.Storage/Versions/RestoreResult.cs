namespace Cairn.Storage.Versions;

/// <summary>The project a restore created, its first version, and how many items it holds.</summary>
public sealed record RestoreResult(long ProjectId, string ProjectName, VersionSummary FirstVersion, long Items, long ElapsedMs);
