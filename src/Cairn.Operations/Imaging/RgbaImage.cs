using System.Buffers;

namespace Cairn.Operations.Imaging;

/// <summary>
/// An 8-bit RGBA image (alpha kept at 255) in a pooled buffer, row-major with stride 4·Width.
/// Dispose it to return the buffer to the pool.
/// </summary>
public sealed class RgbaImage : IDisposable
{
    private byte[]? _buffer;

    /// <summary>Creates an image with uninitialised pixels (pass <paramref name="clear"/> to zero them).</summary>
    public RgbaImage(int width, int height, bool clear = false)
    {
        if (width <= 0 || height <= 0 || (long)width * height > 1L << 28)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size {width}×{height} is outside 1..2^28 pixels.");
        }

        Width = width;
        Height = height;
        _buffer = ArrayPool<byte>.Shared.Rent(width * height * 4);
        if (clear)
        {
            Bytes.Clear();
        }
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixel bytes, R, G, B, A per pixel.</summary>
    public Span<byte> Bytes => (_buffer ?? throw new ObjectDisposedException(nameof(RgbaImage))).AsSpan(0, Width * Height * 4);

    /// <summary>The pixels as little-endian 32-bit words (R in the low byte).</summary>
    public Span<uint> Pixels => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(Bytes);

    /// <summary>The backing array (longer than needed; valid bytes are <see cref="Bytes"/>).</summary>
    internal byte[] DangerousArray => _buffer ?? throw new ObjectDisposedException(nameof(RgbaImage));

    /// <summary>A copy in a new pooled buffer.</summary>
    public RgbaImage Clone()
    {
        var copy = new RgbaImage(Width, Height);
        Bytes.CopyTo(copy.Bytes);
        return copy;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        var b = Interlocked.Exchange(ref _buffer, null);
        if (b is not null)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }
}
