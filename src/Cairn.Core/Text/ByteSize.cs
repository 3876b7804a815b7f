using System.Globalization;

namespace Cairn.Core.Text;

/// <summary>
/// Byte counts for people, in binary units (KiB = 1024 B): the one formatter of the CLI, its native front and the
/// server's pages, so that the same count reads the same everywhere.
/// </summary>
public static class ByteSize
{
    /// <summary>A byte count as "512 B", "14.6 MiB" or "2.05 GiB".</summary>
    public static string Format(long n) => n switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{n} B"),
        < 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{n / 1024.0:F1} KiB"),
        < 1 << 30 => string.Create(CultureInfo.InvariantCulture, $"{n / 1048576.0:F1} MiB"),
        < 1L << 40 => string.Create(CultureInfo.InvariantCulture, $"{n / 1073741824.0:F2} GiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{n / 1099511627776.0:F2} TiB"),
    };
}
