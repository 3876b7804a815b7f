using System.Buffers.Binary;

namespace Cairn.TestSupport;

/// <summary>PNG files built chunk by chunk, for images no encoder would write: a header that lies about the size.</summary>
public static class CraftedPng
{
    /// <summary>
    /// A PNG whose header declares <paramref name="width"/>×<paramref name="height"/> grey pixels but carries one tiny data
    /// chunk: what a hostile upload looks like. CRCs are valid so decoders read the header.
    /// </summary>
    public static byte[] HeaderOnly(int width, int height)
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
    /// A real, decodable greyscale PNG of <paramref name="width"/>×<paramref name="height"/> pixels, every pixel
    /// <paramref name="shade"/>: a different shade gives different bytes (a different content id).
    /// </summary>
    public static byte[] Grey(int width, int height, byte shade)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // greyscale
        Chunk(ms, "IHDR", ihdr);
        using (var raw = new MemoryStream())
        {
            using (var z = new System.IO.Compression.ZLibStream(raw, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            {
                var row = new byte[width + 1]; // filter type 0, then the pixels
                Array.Fill(row, shade, 1, width);
                for (var y = 0; y < height; y++)
                {
                    z.Write(row);
                }
            }

            Chunk(ms, "IDAT", raw.ToArray());
        }

        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    /// <summary>
    /// A decodable greyscale PNG of seeded random pixels: noise does not compress, so the file is about
    /// <paramref name="width"/>×<paramref name="height"/> bytes (for uploads that need several chunks).
    /// </summary>
    public static byte[] Noise(int width, int height, int seed)
    {
        var random = new Random(seed);
        using var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 0;
        Chunk(ms, "IHDR", ihdr);
        using (var raw = new MemoryStream())
        {
            using (var z = new System.IO.Compression.ZLibStream(raw, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            {
                var row = new byte[width + 1];
                for (var y = 0; y < height; y++)
                {
                    random.NextBytes(row.AsSpan(1));
                    z.Write(row);
                }
            }

            Chunk(ms, "IDAT", raw.ToArray());
        }

        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    /// <summary>Writes one chunk: length, type, data and its CRC.</summary>
    public static void Chunk(Stream s, string type, byte[] data)
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
