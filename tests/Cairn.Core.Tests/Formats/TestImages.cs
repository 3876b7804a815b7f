using System.Buffers.Binary;
using SkiaSharp;

namespace Cairn.Core.Tests.Formats;

/// <summary>Small real image files for format tests.</summary>
public static class TestImages
{
    /// <summary>A PNG of the given size filled with one grey level (the level makes files of equal size differ).</summary>
    public static byte[] Png(int width, int height, byte level = 128)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        bitmap.Erase(new SKColor(level, level, level));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>
    /// A PNG whose header declares <paramref name="width"/>×<paramref name="height"/> pixels but carries one tiny data chunk:
    /// what a hostile upload looks like. CRCs are valid so decoders read the header.
    /// </summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // greyscale
        Chunk(ms, "IHDR", ihdr);
        Chunk(ms, "IDAT", [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    /// <summary>
    /// A 1-bit palette PNG with palette [black, white] and index 0 transparent: what Supervisely's SDK writes for a
    /// bitmap (PIL, <c>putpalette([0,0,0,255,255,255])</c>, <c>transparency=0</c>; PIL packs a two-colour palette into 1 bit).
    /// </summary>
    public static byte[] PaletteMaskPng(bool[,] mask)
    {
        int h = mask.GetLength(0), w = mask.GetLength(1), stride = (w + 7) / 8;
        var raw = new byte[h * (stride + 1)];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                if (mask[y, x])
                {
                    raw[(y * (stride + 1)) + 1 + (x / 8)] |= (byte)(0x80 >> (x % 8));
                }
            }
        }

        using var z = new MemoryStream();
        using (var zs = new System.IO.Compression.ZLibStream(z, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            zs.Write(raw);
        }

        using var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), h);
        ihdr[8] = 1; // bit depth
        ihdr[9] = 3; // palette
        Chunk(ms, "IHDR", ihdr);
        Chunk(ms, "PLTE", [0, 0, 0, 255, 255, 255]);
        Chunk(ms, "tRNS", [0]);
        Chunk(ms, "IDAT", z.ToArray());
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(len, Crc32([.. typeBytes, .. data]));
        s.Write(len);
    }

    // CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320), as in the PNG specification's sample code.
    private static uint Crc32(byte[] bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            c ^= b;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
        }

        return c ^ 0xFFFFFFFFu;
    }
}
