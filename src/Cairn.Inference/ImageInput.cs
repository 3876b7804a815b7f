using System.Runtime.CompilerServices;

namespace Cairn.Inference;

/// <summary>One encoded image (PNG, JPEG, WebP, BMP…) to run a detector on, with a key that comes back with its detections.</summary>
public sealed record ImageInput(string Key, ReadOnlyMemory<byte> Encoded)
{
    /// <summary>Reads a file; the key is the path unless given.</summary>
    public static async Task<ImageInput> FromFileAsync(string path, string? key = null, CancellationToken cancellationToken = default)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return new ImageInput(key ?? path, bytes);
    }

    /// <summary>Streams files one by one, so only the images in flight are in memory.</summary>
    public static async IAsyncEnumerable<ImageInput> FromFilesAsync(
        IEnumerable<string> paths, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            yield return await FromFileAsync(path, null, cancellationToken).ConfigureAwait(false);
        }
    }
}
