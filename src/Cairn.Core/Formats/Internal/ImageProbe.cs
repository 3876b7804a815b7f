using SkiaSharp;

namespace Cairn.Core.Formats.Internal;

/// <summary>Image file checks that never decode pixels: known extensions, and the size from the header only.</summary>
internal static class ImageProbe
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".jfif",
    };

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
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        using var codec = SKCodec.Create(stream, out var result);
        if (codec is null)
        {
            throw new DatasetFormatException(relative, null, $"not a readable image ({result}); expected one of: {Accepted}");
        }

        var info = codec.Info;
        CheckSize(info.Width, info.Height, limits, relative, "image header");
        return (info.Width, info.Height);
    }
}
