using Cairn.Core.Imaging;
using SkiaSharp;

namespace Cairn.Operations.Imaging;

/// <summary>Decodes and encodes images with Skia (libjpeg-turbo, libpng) straight into and out of <see cref="RgbaImage"/> buffers.</summary>
public static class ImageCodec
{
    /// <summary>Reads width and height from the header without decoding pixels; false when the bytes are not an image Skia knows.</summary>
    public static bool TryReadSize(ReadOnlySpan<byte> encoded, out int width, out int height) => ImageDecoder.TryReadSize(encoded, out width, out height);

    /// <summary>
    /// Decodes JPEG, PNG, WebP, BMP or GIF bytes; <paramref name="name"/> names the file in errors. Images over
    /// <see cref="ImageDecoder.MaxPixels"/> are refused from their header, before their pixels are allocated.
    /// </summary>
    public static unsafe RgbaImage Decode(ReadOnlySpan<byte> encoded, string name = "image")
    {
        // Skia reads the caller's bytes in place (pinned for the duration) instead of copying them.
        fixed (byte* src = encoded)
        {
            using var data = SKData.Create((IntPtr)src, encoded.Length);
            return Decode(data, name);
        }
    }

    private static unsafe RgbaImage Decode(SKData data, string name)
    {
        using var codec = ImageDecoder.Open(data, name);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var image = new RgbaImage(info.Width, info.Height);
        try
        {
            fixed (byte* p = image.Bytes)
            {
                var result = codec.GetPixels(info, (IntPtr)p);
                if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
                {
                    throw new InvalidDataException($"{name}: decoding failed ({result}).");
                }
            }

            if (codec.EncodedFormat != SKEncodedImageFormat.Jpeg)
            {
                Kernels.SetOpaque(image.Pixels);
            }

            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>Encodes as JPEG (baseline 4:2:0, IJG quality 1..100, Cairn's own encoder) or PNG (Skia); alpha is ignored.</summary>
    public static byte[] Encode(RgbaImage image, ImageFormat format, int quality = 90) =>
        format == ImageFormat.Jpeg ? JpegEncoder.Encode(image, quality) : EncodeSkia(image, format, quality);

    /// <summary>Encodes with Skia's encoders (libjpeg-turbo or libpng).</summary>
    public static unsafe byte[] EncodeSkia(RgbaImage image, ImageFormat format, int quality = 90)
    {
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        fixed (byte* p = image.Bytes)
        {
            using var pixmap = new SKPixmap(info, (IntPtr)p, image.Width * 4);
            using var data = format == ImageFormat.Png
                ? pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6))
                : pixmap.Encode(new SKJpegEncoderOptions(Math.Clamp(quality, 1, 100), SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore));
            return data?.ToArray() ?? throw new InvalidOperationException($"Skia could not encode a {image.Width}×{image.Height} image as {format}.");
        }
    }
}
