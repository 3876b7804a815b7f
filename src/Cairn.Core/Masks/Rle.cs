using System.Text;
using Cairn.Core.Model;

namespace Cairn.Core.Masks;

/// <summary>
/// A binary mask in COCO run-length encoding: alternating runs of 0s and 1s (starting with 0s)
/// over the pixels in column-major order (down each column, then to the next column).
/// </summary>
public sealed record Rle(int Height, int Width, uint[] Counts)
{
    /// <summary>Number of foreground pixels.</summary>
    public long Area()
    {
        long area = 0;
        for (var i = 1; i < Counts.Length; i += 2)
        {
            area += Counts[i];
        }

        return area;
    }

    /// <summary>Bounding box of the foreground in continuous pixel coordinates, as pycocotools' toBbox.</summary>
    public BoxD Bounds()
    {
        var (x, y, w, h) = RleOps.BoundingBox(Counts, Height, Width);
        return new BoxD(x, y, x + w, y + h);
    }

    /// <summary>Decodes to a column-major 0/1 byte mask of Height × Width.</summary>
    public byte[] Decode()
    {
        var mask = new byte[checked(Height * Width)];
        long pos = 0;
        byte v = 0;
        foreach (var c in Counts)
        {
            var end = Math.Min(mask.Length, pos + c);
            if (v == 1)
            {
                mask.AsSpan((int)pos, (int)(end - pos)).Fill(1);
            }

            pos = end;
            v ^= 1;
        }

        return mask;
    }

    /// <summary>Encodes a column-major 0/non-0 mask of Height × Width.</summary>
    public static Rle Encode(ReadOnlySpan<byte> columnMajor, int height, int width)
    {
        if (columnMajor.Length != height * width)
        {
            throw new ArgumentException($"Mask has {columnMajor.Length} pixels, expected {height}×{width}.", nameof(columnMajor));
        }

        var counts = new List<uint>();
        byte p = 0;
        uint c = 0;
        foreach (var b in columnMajor)
        {
            var v = b != 0 ? (byte)1 : (byte)0;
            if (v != p)
            {
                counts.Add(c);
                c = 0;
                p = v;
            }

            c++;
        }

        counts.Add(c);
        return new Rle(height, width, [.. counts]);
    }

    /// <summary>The compressed string form of pycocotools (rleToString): LEB128-like, 5 bits per char, deltas after the third count.</summary>
    public string ToCompressedString()
    {
        var sb = new StringBuilder(Counts.Length * 2);
        for (var i = 0; i < Counts.Length; i++)
        {
            long x = Counts[i];
            if (i > 2)
            {
                x -= Counts[i - 2];
            }

            var more = true;
            while (more)
            {
                var c = x & 0x1f;
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more)
                {
                    c |= 0x20;
                }

                sb.Append((char)(c + 48));
            }
        }

        return sb.ToString();
    }

    /// <summary>Parses pycocotools' compressed string form; throws <see cref="FormatException"/> on malformed input.</summary>
    public static Rle FromCompressedString(string s, int height, int width)
    {
        if (!TryFromCompressedString(s, height, width, out var rle, out var error))
        {
            throw new FormatException(error);
        }

        return rle;
    }

    /// <summary>Parses pycocotools' compressed string form, reporting what is wrong instead of throwing.</summary>
    public static bool TryFromCompressedString(string s, int height, int width, out Rle rle, out string error)
    {
        ArgumentNullException.ThrowIfNull(s);
        rle = RleOps.TryDecodeCompressed(s.AsSpan(), height, width, out var counts, out error) ? new Rle(height, width, counts) : null!;
        return rle is not null;
    }

    /// <inheritdoc/>
    public bool Equals(Rle? other) =>
        other is not null && Height == other.Height && Width == other.Width && Counts.AsSpan().SequenceEqual(other.Counts);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Height, Width, Counts.Length);
}
