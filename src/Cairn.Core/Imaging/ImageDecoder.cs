using System.Buffers.Binary;
using System.Globalization;
using SkiaSharp;

namespace Cairn.Core.Imaging;

/// <summary>
/// The one way Cairn opens encoded images: the header is read (no pixels) and checked against a pixel limit before a
/// caller allocates pixel memory, so a 1 kB file whose header claims 60000×60000 is refused instead of costing 14 GB.
/// Every decode (thumbnails, augment, copy-paste, inference, Supervisely bitmaps) starts from <see cref="Open"/>.
/// </summary>
public static class ImageDecoder
{
    /// <summary>The pixel limit unless <see cref="LimitVariable"/> says otherwise: 100 megapixels, 400 MB as RGBA.</summary>
    public const long DefaultMaxPixels = 100_000_000;

    /// <summary>The environment variable that sets <see cref="MaxPixels"/> for a process (a positive whole number).</summary>
    public const string LimitVariable = "CAIRN_MAX_IMAGE_PIXELS";

    /// <summary>The largest width × height decoded or imported: <see cref="LimitVariable"/>, else <see cref="DefaultMaxPixels"/>.</summary>
    public static long MaxPixels { get; } = LimitFromEnvironment();

    /// <summary>
    /// Opens a codec on <paramref name="data"/> once its header has passed the limit (<see cref="MaxPixels"/> unless
    /// given); <paramref name="name"/> names the image in errors. Throws <see cref="InvalidDataException"/> otherwise.
    /// </summary>
    public static SKCodec Open(SKData data, string name, long? maxPixels = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var max = maxPixels ?? MaxPixels;

        // PNG and JPEG headers are checked from the bytes before Skia sees them at all.
        if (TryReadHeader(data.AsSpan(), out var w, out var h))
        {
            CheckLimit(w, h, max, name);
        }

        var codec = SKCodec.Create(data)
            ?? throw new InvalidDataException($"{name}: not an image format that can be decoded (expected JPEG, PNG, WebP, BMP or GIF).");
        try
        {
            CheckLimit(codec.Info.Width, codec.Info.Height, max, name);
            return codec;
        }
        catch
        {
            codec.Dispose();
            throw;
        }
    }

    /// <summary>Width and height from the header of encoded bytes, without decoding pixels; false when they are no image Skia knows.</summary>
    public static bool TryReadSize(ReadOnlySpan<byte> encoded, out int width, out int height)
    {
        if (TryReadHeader(encoded, out var w, out var h) && w <= int.MaxValue && h <= int.MaxValue)
        {
            (width, height) = ((int)w, (int)h);
            return true;
        }

        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        width = codec?.Info.Width ?? 0;
        height = codec?.Info.Height ?? 0;
        return codec is not null;
    }

    /// <summary>
    /// Reads the size of a PNG (IHDR) or baseline/progressive JPEG (SOFn marker) from its first bytes, the common case
    /// and the cheap one; false for anything else, or when the bytes end before the size.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> head, out long width, out long height)
    {
        width = height = 0;
        if (head.Length >= 24 && head[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }) && head.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            width = BinaryPrimitives.ReadUInt32BigEndian(head[16..]);
            height = BinaryPrimitives.ReadUInt32BigEndian(head[20..]);
            return true;
        }

        if (head.Length < 4 || head[0] != 0xFF || head[1] != 0xD8)
        {
            return false;
        }

        // Walk JPEG segments from the first marker after SOI; APPn (EXIF) segments are skipped by their length.
        var pos = 2;
        for (var guard = 0; guard < 256; guard++)
        {
            if (pos + 4 > head.Length || head[pos] != 0xFF)
            {
                return false;
            }

            var marker = head[pos + 1];
            if (marker == 0xFF)
            {
                pos++; // fill byte: resynchronise on the next byte
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(head[(pos + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (pos + 9 > head.Length)
                {
                    return false;
                }

                height = BinaryPrimitives.ReadUInt16BigEndian(head[(pos + 5)..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(head[(pos + 7)..]);
                return width > 0 && height > 0;
            }

            if (length < 2 || marker is 0xD9 or 0xDA)
            {
                return false;
            }

            pos += 2 + length;
        }

        return false;
    }

    private static void CheckLimit(long width, long height, long max, string name)
    {
        if (width <= 0 || height <= 0 || width * height > max)
        {
            throw new InvalidDataException($"{name}: the image header says {width}×{height} = {width * height} pixels, expected at most {max} (set {LimitVariable} to change the limit).");
        }
    }

    private static long LimitFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(LimitVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultMaxPixels;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new InvalidOperationException($"{LimitVariable} is '{text}': expected a positive whole number of pixels (default {DefaultMaxPixels}).");
    }
}
