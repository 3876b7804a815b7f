using System.Buffers.Binary;
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
        if (TryReadHeader(stream, out var w, out var h))
        {
            CheckSize(w, h, limits, relative, "image header");
            return ((int)w, (int)h);
        }

        stream.Position = 0;
        using var codec = SKCodec.Create(stream, out var result);
        if (codec is null)
        {
            throw new DatasetFormatException(relative, null, $"not a readable image ({result}); expected one of: {Accepted}");
        }

        var info = codec.Info;
        CheckSize(info.Width, info.Height, limits, relative, "image header");
        return (info.Width, info.Height);
    }

    /// <summary>
    /// Reads the size of a PNG (IHDR) or baseline/progressive JPEG (SOFn marker) from the first bytes, the common case
    /// and the cheap one; false for anything else, which then goes to SkiaSharp's codec.
    /// </summary>
    internal static bool TryReadHeader(Stream stream, out long width, out long height)
    {
        width = height = 0;
        Span<byte> head = stackalloc byte[24];
        if (stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length)
        {
            return false;
        }

        if (head[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }) && head.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            width = BinaryPrimitives.ReadUInt32BigEndian(head[16..]);
            height = BinaryPrimitives.ReadUInt32BigEndian(head[20..]);
            return true;
        }

        if (head[0] != 0xFF || head[1] != 0xD8)
        {
            return false;
        }

        // Walk JPEG segments from the first marker after SOI; APPn (EXIF) segments are skipped by their length.
        stream.Position = 2;
        Span<byte> seg = stackalloc byte[9];
        for (var guard = 0; guard < 256; guard++)
        {
            if (stream.ReadAtLeast(seg[..4], 4, throwOnEndOfStream: false) < 4 || seg[0] != 0xFF)
            {
                return false;
            }

            var marker = seg[1];
            if (marker == 0xFF)
            {
                stream.Position -= 3; // fill byte: resynchronise on the next byte
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(seg[2..]);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (stream.ReadAtLeast(seg[..5], 5, throwOnEndOfStream: false) < 5)
                {
                    return false;
                }

                height = BinaryPrimitives.ReadUInt16BigEndian(seg[1..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(seg[3..]);
                return width > 0 && height > 0;
            }

            if (length < 2 || marker is 0xD9 or 0xDA)
            {
                return false;
            }

            stream.Position += length - 2;
        }

        return false;
    }
}
