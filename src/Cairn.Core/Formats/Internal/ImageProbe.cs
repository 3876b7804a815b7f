using Cairn.Core.Imaging;
using SkiaSharp;

namespace Cairn.Core.Formats.Internal;

/// <summary>Image file checks that never decode pixels: known extensions, and the size from the header only.</summary>
internal static class ImageProbe
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".jfif",
    };

    // Enough for a PNG header and for JPEGs behind their EXIF segments: 4 of tiny-coco's 100 photos have their size
    // 24–27 kB in. Larger EXIF blocks go to Skia's codec.
    private const int HeadBytes = 64 * 1024;

    /// <summary>The extensions accepted as images, for messages.</summary>
    public static string Accepted => "jpg, jpeg, png, bmp, gif, webp";

    public static bool IsImageName(string name) => Extensions.Contains(Path.GetExtension(name));

    /// <summary>Throws unless <paramref name="name"/> has an image extension.</summary>
    public static void RequireImageName(string name, string file, string? location)
    {
        if (!IsImageName(name))
        {
            throw new DatasetFormatException(file, location, $"'{name}' is not an image file (expected one of: {Accepted})");
        }
    }

    /// <summary>Throws when a declared size is not positive or passes the pixel limit.</summary>
    public static void CheckSize(long width, long height, ImportLimits limits, string file, string? location)
    {
        if (width <= 0 || height <= 0 || width > int.MaxValue || height > int.MaxValue)
        {
            throw new DatasetFormatException(file, location, $"image size {width}×{height} is not valid (expected positive width and height)");
        }

        if (width * height > limits.MaxImagePixels)
        {
            throw new DatasetFormatException(file, location, $"image declares {width}×{height} = {width * height} pixels, more than the limit of {limits.MaxImagePixels}");
        }
    }

    /// <summary>Reads width and height from the image header (no pixel decoding) and checks the pixel limit.</summary>
    public static (int Width, int Height) ReadSize(string fullPath, string relative, ImportLimits limits)
    {
        RequireImageName(relative, relative, null);

        // PNG and most JPEG headers lie in the first bytes; other formats, and JPEGs with long EXIF segments, go to
        // Skia's codec, which reads the header from the stream as far as it needs.
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        var head = new byte[HeadBytes];
        var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (ImageDecoder.TryReadHeader(head.AsSpan(0, n), out var w, out var h))
        {
            CheckSize(w, h, limits, relative, "image header");
            return ((int)w, (int)h);
        }

        stream.Position = 0;
        using var codec = SKCodec.Create(stream, out var result)
            ?? throw new DatasetFormatException(relative, null, $"not a readable image ({result}); expected one of: {Accepted}");
        CheckSize(codec.Info.Width, codec.Info.Height, limits, relative, "image header");
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Reads the size of a PNG or JPEG from the first bytes of <paramref name="stream"/> (see <see cref="ImageDecoder.TryReadHeader"/>).</summary>
    internal static bool TryReadHeader(Stream stream, out long width, out long height)
    {
        var head = new byte[HeadBytes];
        var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return ImageDecoder.TryReadHeader(head.AsSpan(0, n), out width, out height);
    }
}
