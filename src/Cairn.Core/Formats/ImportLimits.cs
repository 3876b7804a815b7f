using Cairn.Core.Imaging;

namespace Cairn.Core.Formats;

/// <summary>
/// Bounds on untrusted input: expanded archive bytes (counted as written, not as claimed), archive entries,
/// pixels an image header may declare, bytes of one JSON file, how many missing files an error lists by name, and how
/// many times its own size an archive may expand to (checked once it has written <see cref="RatioFreeBytes"/>, so a small
/// archive of very compressible JSON still imports).
/// </summary>
public sealed record ImportLimits(
    long MaxArchiveBytes = 20L * 1024 * 1024 * 1024,
    int MaxEntries = 1_000_000,
    long MaxImagePixels = ImageDecoder.DefaultMaxPixels,
    long MaxJsonBytes = 2L * 1024 * 1024 * 1024,
    int MaxMissingListed = 20,
    long MaxCompressionRatio = 1000,
    long RatioFreeBytes = 256L * 1024 * 1024)
{
    /// <summary>The default limits; the pixel limit is the decoders' own (<see cref="ImageDecoder.MaxPixels"/>), so what imports can be shown.</summary>
    public static ImportLimits Default { get; } = new(MaxImagePixels: ImageDecoder.MaxPixels);
}
