using System.IO.Compression;
using Cairn.Core.Formats.Internal;
using Cairn.Core.Imaging;
using Cairn.Core.Masks;
using SkiaSharp;

namespace Cairn.Core.Formats.Supervisely;

/// <summary>Supervisely's bitmap geometry: base64 of a zlib-compressed PNG of the mask's tight crop, placed at an origin.</summary>
internal static class SlyBitmap
{
    /// <summary>Decodes <c>bitmap.data</c> at <c>bitmap.origin</c> into a whole-image RLE; foreground is alpha &gt; 0, or any colour &gt; 0 for PNGs without alpha.</summary>
    public static Rle Decode(JNode data, int originX, int originY, int width, int height, ImportLimits limits)
    {
        byte[] compressed;
        try
        {
            compressed = Convert.FromBase64String(data.String());
        }
        catch (FormatException)
        {
            throw data.Expected("base64 text of a zlib-compressed PNG");
        }

        byte[] png;
        try
        {
            using var input = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[65536];
            int n;
            var max = Math.Min(limits.MaxImagePixels * 4 + 65536, 1L << 30);
            while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                output.Write(buffer, 0, n);
                if (output.Length > max)
                {
                    throw data.Error($"bitmap expands past {max} bytes (expected a PNG of at most the image size)");
                }
            }

            png = output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw data.Error($"bitmap data is not zlib-compressed ({ex.Message})");
        }

        using var encoded = SKData.CreateCopy(png);
        using var codec = OpenPng(encoded, data, limits);
        var info = codec.Info;

        var hasAlpha = info.AlphaType != SKAlphaType.Opaque;
        using var bitmap = new SKBitmap(new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            throw data.Error($"bitmap PNG could not be decoded ({result})");
        }

        var pixels = bitmap.GetPixelSpan();
        var crop = new byte[info.Width * info.Height];
        for (var i = 0; i < crop.Length; i++)
        {
            var p = pixels.Slice(i * 4, 4);
            crop[i] = (byte)((hasAlpha ? p[3] > 0 : (p[0] | p[1] | p[2]) > 0) ? 1 : 0);
        }

        return MaskRaster.FromCrop(crop, originX, originY, info.Width, info.Height, width, height);
    }

    /// <summary>Encodes a mask as Supervisely does: the tight crop as an RGBA PNG (white opaque on transparent), zlib, base64; null for an empty mask.</summary>
    public static (string Data, int OriginX, int OriginY)? Encode(Rle rle)
    {
        var (left, top, w, h, crop) = MaskRaster.Crop(rle);
        if (w == 0 || h == 0)
        {
            return null;
        }

        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var pixels = bitmap.GetPixelSpan();
        for (var i = 0; i < crop.Length; i++)
        {
            var v = crop[i] != 0 ? (byte)255 : (byte)0;
            pixels[i * 4] = v;
            pixels[(i * 4) + 1] = v;
            pixels[(i * 4) + 2] = v;
            pixels[(i * 4) + 3] = v;
        }

        using var encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(encoded.AsSpan());
        }

        return (Convert.ToBase64String(ms.ToArray()), left, top);
    }

    // The guarded decoder refuses a header over the pixel limit before any pixels are allocated; its error gets the JSON place.
    private static SKCodec OpenPng(SKData encoded, JNode data, ImportLimits limits)
    {
        try
        {
            return ImageDecoder.Open(encoded, "bitmap", limits.MaxImagePixels);
        }
        catch (InvalidDataException ex)
        {
            throw data.Error(ex.Message);
        }
    }
}
