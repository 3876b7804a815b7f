using Cairn.Core.Imaging;

namespace Cairn.Core.Formats;

/// <summary>
/// Bounds on untrusted input: expanded archive bytes (counted as written, not as claimed), archive entries,
/// pixels an image header may declare, bytes of one JSON file, and how many missing files an error lists by name.
/// </summary>
public sealed record ImportLimits(
    long MaxArchiveBytes = 20L * 1024 * 1024 * 1024,
    int MaxEntries = 1_000_000,
    long MaxImagePixels = ImageDecoder.DefaultMaxPixels,
    long MaxJsonBytes = 2L * 1024 * 1024 * 1024,
    int MaxMissingListed = 20)
{
    /// <summary>The default limits; the pixel limit is the decoders' own (<see cref="ImageDecoder.MaxPixels"/>), so what imports can be shown.</summary>
    public static ImportLimits Default { get; } = new(MaxImagePixels: ImageDecoder.MaxPixels);
}
