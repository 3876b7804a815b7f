using Cairn.Operations.Augment;

namespace Cairn.Operations.Synthesis;

/// <summary>Settings of copy-paste: how many objects per background, their scale, the flip probability and the minimum visible fraction.</summary>
public sealed record CopyPasteSpec
{
    /// <summary>Seed; each output derives its generator from it and the output key.</summary>
    public ulong Seed { get; init; }

    /// <summary>Fewest objects pasted on one background.</summary>
    public int MinObjects { get; init; } = 1;

    /// <summary>Most objects pasted on one background.</summary>
    public int MaxObjects { get; init; } = 4;

    /// <summary>Scale factor of a cut-out.</summary>
    public ParamRange Scale { get; init; } = new(0.5, 1.5);

    /// <summary>Probability of a horizontal flip.</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>A pasted object covered by later ones below this visible fraction gets no label.</summary>
    public double MinVisible { get; init; }
}
