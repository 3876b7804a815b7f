using System.Buffers;
using Cairn.Core.Imaging;
using SkiaSharp;

namespace Cairn.Inference.Internal;

/// <summary>An image decoded to unpremultiplied RGBA in a pooled buffer; dispose to return the buffer.</summary>
internal sealed class DecodedImage : IDisposable
{
    private readonly bool _pooled;
    private byte[]? _pixels;

    private DecodedImage(byte[] pixels, int width, int height, bool pooled)
    {
        _pixels = pixels;
        _pooled = pooled;
        Width = width;
        Height = height;
    }

    public int Width { get; }

    public int Height { get; }

    public int RowBytes => Width * 4;

    public ReadOnlySpan<byte> Pixels => _pixels.AsSpan(0, Width * Height * 4);

    /// <summary>Decodes with SkiaSharp; refuses images over <paramref name="maxPixels"/> before allocating their pixels.</summary>
    public static unsafe DecodedImage Decode(string key, ReadOnlySpan<byte> encoded, long maxPixels)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = ImageDecoder.Open(data, $"Image '{key}'", maxPixels);
        var (w, h) = (codec.Info.Width, codec.Info.Height);

        // Unpremultiplied RGBA without colour management: the alpha channel is dropped later, like cv2.imread(IMREAD_COLOR).
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var pixels = ArrayPool<byte>.Shared.Rent(w * h * 4);
        SKCodecResult result;
        fixed (byte* p = pixels)
        {
            result = codec.GetPixels(info, (IntPtr)p);
        }

        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            ArrayPool<byte>.Shared.Return(pixels);
            throw new InvalidDataException($"Image '{key}': decoding failed ({result}).");
        }

        return new DecodedImage(pixels, w, h, pooled: true);
    }

    /// <summary>Wraps pixels that are already RGBA (tests and benchmarks); the buffer is not pooled.</summary>
    public static DecodedImage FromRgba(byte[] rgba, int width, int height) => new(rgba, width, height, pooled: false);

    public void Dispose()
    {
        var p = Interlocked.Exchange(ref _pixels, null);
        if (p is not null && _pooled)
        {
            ArrayPool<byte>.Shared.Return(p);
        }
    }
}
