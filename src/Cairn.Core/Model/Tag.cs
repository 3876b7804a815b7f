namespace Cairn.Core.Model;

/// <summary>A tag on an image or a label; <see cref="Value"/> is null for tags without value.</summary>
public readonly record struct Tag(string Name, string? Value = null);
