namespace Cairn.Storage.Objects;

/// <summary>Where a packed object lies: its pack file, offset and length.</summary>
public readonly record struct PackedLocation(string Pack, long Offset, long Length);
