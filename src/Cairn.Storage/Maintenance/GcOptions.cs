namespace Cairn.Storage.Maintenance;

/// <summary>Options of <see cref="GarbageCollector"/>.</summary>
public sealed record GcOptions
{
    /// <summary>Objects (and temporary files) younger than this are kept: they may belong to a write still in flight.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Packs smaller than this are merged into larger ones (with any pack that holds garbage).</summary>
    public long SmallPackBytes { get; init; } = 8L << 20;

    /// <summary>The size a merged pack is cut at.</summary>
    public long MergedPackBytes { get; init; } = 256L << 20;

    /// <summary>Report what would be removed without removing it.</summary>
    public bool DryRun { get; init; }
}
