using Cairn.Core.Model;

namespace Cairn.Operations.Augment;

/// <summary>One input item: a stable key (e.g. dataset/name; it seeds the outputs), the encoded image and its annotation.</summary>
public sealed record AugmentInput(string Key, ReadOnlyMemory<byte> Image, Annotation Annotation)
{
    /// <summary>Caller state handed back unchanged on each <see cref="AugmentOutput"/> (e.g. the source item), so a sink needs no shared lookup table.</summary>
    public object? Tag { get; init; }
}
