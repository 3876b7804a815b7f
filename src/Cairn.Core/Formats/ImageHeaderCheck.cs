using Cairn.Core.Formats.Internal;
using Cairn.Core.Imaging;

namespace Cairn.Core.Formats;

/// <summary>
/// The check an importer makes on the bytes of every image it stores: the header must be readable, within the pixel
/// limit, and agree with the size the annotations declare, which thumbnails, masks and exports trust afterwards.
/// </summary>
public static class ImageHeaderCheck
{
    /// <summary>Throws <see cref="DatasetFormatException"/> naming <paramref name="file"/> and both sizes when the header disagrees or passes the limit.</summary>
    public static void Verify(ReadOnlySpan<byte> bytes, int declaredWidth, int declaredHeight, string file, ImportLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (!ImageDecoder.TryReadSize(bytes, out var width, out var height))
        {
            throw new DatasetFormatException(file, "image header", $"not a readable image (expected one of: {ImageProbe.Accepted})");
        }

        if ((long)width * height > limits.MaxImagePixels)
        {
            throw new DatasetFormatException(file, "image header", $"the image is {width}×{height} = {(long)width * height} pixels, more than the limit of {limits.MaxImagePixels} (the annotations declare {declaredWidth}×{declaredHeight})");
        }

        if ((width, height) != (declaredWidth, declaredHeight))
        {
            var swapped = (width, height) == (declaredHeight, declaredWidth) ? " (width and height swapped: annotations made on an EXIF-rotated view?)" : string.Empty;
            throw new DatasetFormatException(file, "image header", $"the image is {width}×{height} pixels but the annotations declare {declaredWidth}×{declaredHeight}{swapped}");
        }
    }
}
