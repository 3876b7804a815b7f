namespace Cairn.Operations.Merge;

/// <summary>An image whose content id was already merged from <see cref="FirstSource"/>/<see cref="FirstItem"/>; <see cref="Skipped"/> when it was left out.</summary>
public sealed record DuplicateImage(string ImageId, string FirstSource, string FirstItem, string Source, string Item, bool Skipped);
