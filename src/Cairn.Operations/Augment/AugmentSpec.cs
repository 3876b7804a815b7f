namespace Cairn.Operations.Augment;

/// <summary>
/// An augment pipeline as the CLI and the UI pass it (JSON, camelCase):
/// <c>{"version": 1, "seed": 7, "outputsPerImage": 2, "minVisible": 0.2, "output": {"format": "jpeg", "quality": 90},
/// "steps": [{"op": "hflip", "p": 0.5}, {"op": "rotate", "angle": [-15, 15]}]}</c>.
/// </summary>
public sealed record AugmentSpec
{
    /// <summary>Format version of this document; 1.</summary>
    public int Version { get; init; } = 1;

    /// <summary>Pipeline seed; each output's seed is derived from it, the item key and the output index.</summary>
    public ulong Seed { get; init; }

    /// <summary>Number of augmented images made from each input.</summary>
    public int OutputsPerImage { get; init; } = 1;

    /// <summary>Minimum fraction of a clipped label that must stay visible for it to be kept (0: any visible part).</summary>
    public double MinVisible { get; init; }

    /// <summary>Output encoding.</summary>
    public OutputSpec Output { get; init; } = new();

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<AugmentStep> Steps { get; init; } = [];
}
