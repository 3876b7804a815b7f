using System.Globalization;
using System.Runtime.CompilerServices;
using Reader = Cairn.Core.Formats.Coco.CocoJson;

namespace Cairn.Evaluation.Coco.Internal;

/// <summary>
/// A fast path for the results files detectors write: an array of objects holding exactly <c>image_id</c>,
/// <c>category_id</c>, <c>score</c> and a four-number <c>bbox</c> and/or a compressed-RLE <c>segmentation</c>
/// (<c>{"size": [h, w], "counts": "…"}</c>), in any order, plain JSON. A mask's counts stay a slice of the file, as
/// the general reader keeps them (a copy only where the string has escapes, e.g. <c>\\</c> or <c>\u0060</c>). It scans the bytes
/// itself instead of tokenizing them (about half of a bbox evaluation's load went to <see cref="System.Text.Json.Utf8JsonReader"/>
/// and the generic record it fills). Anything else — another key, a segmentation, null, a string, an escape, a
/// comment, a trailing comma, a malformed number, a non-integral id — makes it give up (null), and the one COCO reader
/// reads the file instead, with its exact error messages. The values are the same as that reader's: integers as
/// <see cref="long"/>; decimals by Clinger's exact fast path (a mantissa of at most 2^53 times or divided by a power
/// of ten up to 10^22, both exact, one correctly rounded operation) and otherwise by <see cref="double.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out double)"/>,
/// which rounds correctly as the reader's parser does.
/// </summary>
internal static class PlainResultsReader
{
    private static readonly double[] Pow10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>The detections, or null when the file is not in the plain shape (the caller reads it the general way).</summary>
    public static CocoDetection[]? TryRead(ReadOnlyMemory<byte> memory, int pieces)
    {
        var json = memory.Span;
        var start = 0;
        while (start < json.Length && Reader.IsSpace(json[start]))
        {
            start++;
        }

        if (start >= json.Length || json[start] != '[')
        {
            return null;
        }

        var cuts = Reader.ElementCuts(json, start, pieces);
        var parts = new List<CocoDetection>?[cuts.Count - 1];
        if (parts.Length == 1)
        {
            parts[0] = ReadPiece(memory, cuts[0], cuts[1], last: true);
        }
        else
        {
            Parallel.For(0, parts.Length, i => parts[i] = ReadPiece(memory, cuts[i], cuts[i + 1], last: i == parts.Length - 1));
        }

        var total = 0;
        foreach (var part in parts)
        {
            if (part is null)
            {
                return null;
            }

            total += part.Count;
        }

        // The copy is where the result's fresh pages are first touched (zeroed by the kernel): on every core.
        var result = new CocoDetection[total];
        var offsets = new int[parts.Length];
        for (var i = 1; i < parts.Length; i++)
        {
            offsets[i] = offsets[i - 1] + parts[i - 1]!.Count;
        }

        Parallel.For(0, parts.Length, i => parts[i]!.CopyTo(result, offsets[i]));
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<CocoDetection>? ReadPiece(ReadOnlyMemory<byte> json, int start, int end, bool last)
    {
        var s = json.Span[..end];
        // Sized from the first 256 elements (a box result is ~90 bytes, a mask result several hundred): a guess
        // from the piece's length alone held twice the memory the segm results needed.
        var list = new List<CocoDetection>(256);
        var unescaped = new Unescaped();
        var i = start;
        while (true)
        {
            if (list.Count == 256 && i > start)
            {
                list.Capacity = Math.Max(list.Capacity, (int)Math.Min(int.MaxValue / 2, 256L * (end - start) / (i - start) * 21 / 20));
            }

            SkipSpace(s, ref i);
            if (i >= s.Length)
            {
                // The last piece must close the array; a middle piece ends just after an element's ','.
                return last ? null : list;
            }

            if (s[i] == ']')
            {
                // Only the last piece closes the array (a ',' is always followed by a '{' here: "},]" was refused).
                if (!last)
                {
                    return null;
                }

                var rest = json.Span[(i + 1)..];
                for (var k = 0; k < rest.Length; k++)
                {
                    if (!Reader.IsSpace(rest[k]))
                    {
                        return null;
                    }
                }

                return list;
            }

            if (s[i] != '{' || !ReadElement(json, s, ref i, unescaped, out var d))
            {
                return null;
            }

            list.Add(d);
            SkipSpace(s, ref i);
            if (i < s.Length && s[i] == ',')
            {
                i++;
                SkipSpace(s, ref i);
                if (i < s.Length && s[i] != '{')
                {
                    return null; // a trailing comma, or worse
                }
            }
            else if (i < s.Length && s[i] != ']')
            {
                return null;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ReadElement(ReadOnlyMemory<byte> json, ReadOnlySpan<byte> s, ref int i, Unescaped unescaped, out CocoDetection detection)
    {
        detection = default;
        long image = 0, category = 0, maskHeight = 0, maskWidth = 0;
        double score = 0, x = 0, y = 0, w = 0, h = 0;
        ReadOnlyMemory<byte> counts = default;
        var seen = 0; // bits: image, category, score, bbox, segmentation
        i++; // '{'
        SkipSpace(s, ref i);
        if (i < s.Length && s[i] == '}')
        {
            return false;
        }

        while (true)
        {
            if (!Key(s, ref i, out var key))
            {
                return false;
            }

            if (key.SequenceEqual("image_id"u8))
            {
                if (!Integer(s, ref i, out image))
                {
                    return false;
                }

                seen |= 1;
            }
            else if (key.SequenceEqual("category_id"u8))
            {
                if (!Integer(s, ref i, out category))
                {
                    return false;
                }

                seen |= 2;
            }
            else if (key.SequenceEqual("score"u8))
            {
                if (!Number(s, ref i, out score))
                {
                    return false;
                }

                seen |= 4;
            }
            else if (key.SequenceEqual("bbox"u8))
            {
                if (i >= s.Length || s[i] != '[')
                {
                    return false;
                }

                i++;
                if (!Item(s, ref i, out x, (byte)',') || !Item(s, ref i, out y, (byte)',') || !Item(s, ref i, out w, (byte)',') || !Item(s, ref i, out h, (byte)']'))
                {
                    return false;
                }

                seen |= 8;
            }
            else if (key.SequenceEqual("segmentation"u8))
            {
                if (!CompressedRle(json, s, ref i, unescaped, out maskHeight, out maskWidth, out counts))
                {
                    return false;
                }

                seen |= 16;
            }
            else
            {
                return false;
            }

            SkipSpace(s, ref i);
            if (i >= s.Length)
            {
                return false;
            }

            if (s[i] == '}')
            {
                i++;
                break;
            }

            if (s[i] != ',')
            {
                return false;
            }

            i++;
            SkipSpace(s, ref i);
        }

        if ((seen & 7) != 7 || (seen & 24) == 0)
        {
            return false;
        }

        detection = new CocoDetection(
            image,
            category,
            score,
            (seen & 8) != 0 ? new CocoBox(x, y, w, h) : null,
            (seen & 16) != 0 ? CocoSegmentation.FromCompressed(counts, (int)maskHeight, (int)maskWidth) : null);
        return true;
    }

    // {"size": [h, w], "counts": "…"} in either order, both present, nothing else; the counts string as a slice of
    // the file, or unescaped into a copy (ASCII escapes only: the RLE alphabet is ASCII).
    private static bool CompressedRle(ReadOnlyMemory<byte> json, ReadOnlySpan<byte> s, ref int i, Unescaped unescaped, out long height, out long width, out ReadOnlyMemory<byte> counts)
    {
        height = width = 0;
        counts = default;
        if (i >= s.Length || s[i] != '{')
        {
            return false;
        }

        i++;
        var seen = 0;
        while (true)
        {
            SkipSpace(s, ref i);
            if (!Key(s, ref i, out var key))
            {
                return false;
            }

            if (key.SequenceEqual("size"u8))
            {
                if (i >= s.Length || s[i] != '[')
                {
                    return false;
                }

                i++;
                SkipSpace(s, ref i);
                if (!Integer(s, ref i, out height))
                {
                    return false;
                }

                SkipSpace(s, ref i);
                if (i >= s.Length || s[i] != ',')
                {
                    return false;
                }

                i++;
                SkipSpace(s, ref i);
                if (!Integer(s, ref i, out width))
                {
                    return false;
                }

                SkipSpace(s, ref i);
                if (i >= s.Length || s[i] != ']' || height is < 0 or > int.MaxValue || width is < 0 or > int.MaxValue)
                {
                    return false;
                }

                i++;
                seen |= 1;
            }
            else if (key.SequenceEqual("counts"u8))
            {
                if (i >= s.Length || s[i] != '"' || !String(json, s, ref i, unescaped, out counts))
                {
                    return false;
                }

                seen |= 2;
            }
            else
            {
                return false;
            }

            SkipSpace(s, ref i);
            if (i >= s.Length)
            {
                return false;
            }

            if (s[i] == '}')
            {
                i++;
                return seen == 3;
            }

            if (s[i] != ',')
            {
                return false;
            }

            i++;
        }
    }

    // A JSON string at s[i] = '"': its bytes as a slice of the file, or unescaped into the piece's buffer when it
    // has escapes. False for control characters (invalid JSON) and for escapes of anything outside ASCII.
    private static bool String(ReadOnlyMemory<byte> json, ReadOnlySpan<byte> s, ref int i, Unescaped unescaped, out ReadOnlyMemory<byte> value)
    {
        value = default;
        var start = i + 1;
        var end = s[start..].IndexOf((byte)'"');
        var escape = end < 0 ? -1 : s.Slice(start, end).IndexOf((byte)'\\');
        if (end < 0)
        {
            return false;
        }

        if (escape < 0)
        {
            if (s.Slice(start, end).IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0)
            {
                return false;
            }

            value = json.Slice(start, end);
            i = start + end + 1;
            return true;
        }

        // Escaped: find the closing quote that is not itself escaped (the first '"' found above may be an escaped
        // one), then unescape up to it; what is written is never longer than what is read.
        var close = start;
        while (true)
        {
            var k = s[close..].IndexOfAny((byte)'"', (byte)'\\');
            if (k < 0)
            {
                return false;
            }

            close += k;
            if (s[close] == '"')
            {
                break;
            }

            close += 2;
            if (close > s.Length)
            {
                return false;
            }
        }

        var (buffer, at) = unescaped.Reserve(close - start);
        var n = 0;
        var p = start;
        while (p < close)
        {
            var b = s[p];
            if (b < 0x20)
            {
                return false;
            }

            if (b != '\\')
            {
                buffer[at + n++] = b;
                p++;
                continue;
            }

            if (p + 1 >= s.Length)
            {
                return false;
            }

            var e = s[p + 1];
            if (e is (byte)'"' or (byte)'\\' or (byte)'/')
            {
                buffer[at + n++] = e;
                p += 2;
            }
            else if (e == 'u' && p + 5 < s.Length
                && ushort.TryParse(s.Slice(p + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                && code is > 0 and < 0x80)
            {
                buffer[at + n++] = (byte)code;
                p += 6;
            }
            else
            {
                return false; // \b, \f, \n, \r, \t, \u0000 or a non-ASCII \u: the general reader handles those
            }
        }

        value = unescaped.Commit(n);
        i = p + 1;
        return true;
    }

    // A member's name (no escapes) and its ':', spaces after: i is then on the value.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Key(ReadOnlySpan<byte> s, ref int i, out ReadOnlySpan<byte> key)
    {
        key = default;
        if (i >= s.Length || s[i] != '"')
        {
            return false;
        }

        var start = i + 1;
        var close = s[start..].IndexOfAny((byte)'"', (byte)'\\');
        if (close < 0 || s[start + close] != '"')
        {
            return false;
        }

        key = s.Slice(start, close);
        i = start + close + 1;
        SkipSpace(s, ref i);
        if (i >= s.Length || s[i] != ':')
        {
            return false;
        }

        i++;
        SkipSpace(s, ref i);
        return true;
    }

    // One number of the box and the byte after it (',' or ']'), spaces allowed around.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Item(ReadOnlySpan<byte> s, ref int i, out double value, byte after)
    {
        SkipSpace(s, ref i);
        if (!Number(s, ref i, out value))
        {
            return false;
        }

        SkipSpace(s, ref i);
        if (i >= s.Length || s[i] != after)
        {
            return false;
        }

        i++;
        return true;
    }

    // A JSON integer of at most 18 digits (what TryGetInt64 reads without question); anything else goes the general way.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Integer(ReadOnlySpan<byte> s, ref int i, out long value)
    {
        value = 0;
        var p = i;
        var negative = p < s.Length && s[p] == '-';
        if (negative)
        {
            p++;
        }

        var first = p;
        while (p < s.Length && (uint)(s[p] - '0') <= 9)
        {
            value = value * 10 + (s[p] - '0');
            p++;
        }

        var digits = p - first;
        if (digits == 0 || digits > 18 || (digits > 1 && s[first] == '0') || (p < s.Length && s[p] is (byte)'.' or (byte)'e' or (byte)'E'))
        {
            return false;
        }

        value = negative ? -value : value;
        i = p;
        return true;
    }

    // A JSON number (strict grammar) as the closest double; false for anything that is not one, or not finite.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Number(ReadOnlySpan<byte> s, ref int i, out double value)
    {
        value = 0;
        var p = i;
        var negative = p < s.Length && s[p] == '-';
        if (negative)
        {
            p++;
        }

        ulong mantissa = 0;
        var significant = 0;
        var exponent = 0;
        var exact = true;
        if (p < s.Length && s[p] == '0')
        {
            p++;
        }
        else if (p < s.Length && (uint)(s[p] - '1') <= 8)
        {
            while (p < s.Length && (uint)(s[p] - '0') <= 9)
            {
                if (significant < 19)
                {
                    mantissa = mantissa * 10 + (ulong)(s[p] - '0');
                    significant++;
                }
                else
                {
                    exact = false;
                }

                p++;
            }
        }
        else
        {
            return false;
        }

        if (p < s.Length && s[p] == '.')
        {
            p++;
            var fractionStart = p;
            while (p < s.Length && (uint)(s[p] - '0') <= 9)
            {
                var digit = (ulong)(s[p] - '0');
                if (mantissa == 0 && digit == 0)
                {
                    exponent--; // a leading zero: not significant
                }
                else if (significant < 19)
                {
                    mantissa = mantissa * 10 + digit;
                    significant++;
                    exponent--;
                }
                else
                {
                    exact = false;
                }

                p++;
            }

            if (p == fractionStart)
            {
                return false;
            }
        }

        if (p < s.Length && (s[p] | 0x20) == 'e')
        {
            p++;
            var minus = false;
            if (p < s.Length && s[p] is (byte)'+' or (byte)'-')
            {
                minus = s[p] == '-';
                p++;
            }

            var expStart = p;
            var e = 0;
            while (p < s.Length && (uint)(s[p] - '0') <= 9)
            {
                if (e < 10_000)
                {
                    e = e * 10 + (s[p] - '0');
                }

                p++;
            }

            if (p == expStart)
            {
                return false;
            }

            exponent += minus ? -e : e;
        }

        if (exact && mantissa <= 1UL << 53 && exponent is >= -22 and <= 22)
        {
            var m = (double)mantissa;
            value = exponent >= 0 ? m * Pow10[exponent] : m / Pow10[-exponent];
            value = negative ? -value : value;
        }
        else if (!double.TryParse(s[i..p], NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        if (!double.IsFinite(value))
        {
            return false;
        }

        i = p;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SkipSpace(ReadOnlySpan<byte> s, ref int i)
    {
        while (i < s.Length && Reader.IsSpace(s[i]))
        {
            i++;
        }
    }


    /// <summary>
    /// Where one piece's unescaped strings go: large shared chunks, not an array per string. A fifth of the masks
    /// in a pycocotools results file hold a '\\' (the RLE alphabet includes it), and an array each, kept to the end
    /// of the evaluation, was most of what the garbage collector copied while the file was read.
    /// </summary>
    private sealed class Unescaped
    {
        private const int ChunkSize = 1 << 20;
        private byte[] _chunk = [];
        private int _used;

        /// <summary>Room for at most <paramref name="max"/> bytes (a chunk of its own when that is more than a chunk).</summary>
        public (byte[] Buffer, int Offset) Reserve(int max)
        {
            if (_chunk.Length - _used < max)
            {
                _chunk = new byte[Math.Max(ChunkSize, max)];
                _used = 0;
            }

            return (_chunk, _used);
        }

        /// <summary>The <paramref name="length"/> bytes written at the reserved place, kept.</summary>
        public ReadOnlyMemory<byte> Commit(int length)
        {
            var value = _chunk.AsMemory(_used, length);
            _used += length;
            return value;
        }
    }
}
