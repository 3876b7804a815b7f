namespace Cairn.Storage.Versions;

/// <summary>The outcome of a version create: a new version, or the existing one when nothing changed since it.</summary>
public sealed record CreateVersionResult(VersionSummary Version, bool Created, int NodesWritten, long ElapsedMs);
