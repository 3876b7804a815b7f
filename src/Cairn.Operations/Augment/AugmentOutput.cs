using Cairn.Core.Model;
using Cairn.Operations.Imaging;

namespace Cairn.Operations.Augment;

/// <summary>One augmented image: the input key, which of its outputs this is, the encoded bytes and the transformed annotation.</summary>
public sealed record AugmentOutput(string Key, int Index, byte[] Image, ImageFormat Format, Annotation Annotation)
{
    /// <summary>The <see cref="AugmentInput.Tag"/> of the input this output was made from.</summary>
    public object? Tag { get; init; }
}
