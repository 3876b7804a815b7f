using Cairn.Core.Model;

namespace Cairn.Operations;

/// <summary>A lightweight item: where it lives, its image's content id and size, and its annotation; no pixels.</summary>
public sealed record ItemRecord(string Dataset, string Name, string ImageId, int Width, int Height, Annotation Annotation);
