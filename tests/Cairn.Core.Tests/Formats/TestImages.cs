using System.Buffers.Binary;
using Cairn.TestSupport;
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

    /// <summary>A PNG whose header declares <paramref name="width"/>×<paramref name="height"/> pixels with next to no data.</summary>
    public static byte[] PngHeaderOnly(int width, int height) => CraftedPng.HeaderOnly(width, height);

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
        CraftedPng.Chunk(ms, "IHDR", ihdr);
        CraftedPng.Chunk(ms, "PLTE", [0, 0, 0, 255, 255, 255]);
        CraftedPng.Chunk(ms, "tRNS", [0]);
        CraftedPng.Chunk(ms, "IDAT", z.ToArray());
        CraftedPng.Chunk(ms, "IEND", []);
        return ms.ToArray();
    }
}
