using System.Globalization;
using System.Runtime.InteropServices;

namespace Cairn.Core.Memory;

/// <summary>
/// Asks Linux to back the .NET GC heap with transparent huge pages (2 MiB) where the system leaves that to each
/// process (<c>/sys/kernel/mm/transparent_hugepage/enabled</c> = <c>madvise</c>, Debian's default).
/// </summary>
/// <remarks>
/// A short-lived process that reads a few hundred MB (<c>cairn eval</c>) spends much of its time in page faults on
/// memory it touches for the first time: on the 2-core VM Cairn is developed on, touching 64 MiB of fresh 4 KiB pages
/// costs ~0.2 s, the same with 2 MiB pages ~0.004 s (docs/benchmarks.md). .NET has no setting for this (its
/// <c>GCLargePages</c> needs hugetlbfs pages reserved by the administrator), so this does what JVMs do with
/// <c>-XX:+UseTransparentHugePages</c>: <c>madvise(MADV_HUGEPAGE)</c> on the heap's address range. The GC reserves
/// that range up front (PROT_NONE, no file); the advice is a flag on the range, kept as parts of it are committed.
/// Costs: memory is committed in 2 MiB steps (a larger RSS by a few MiB), which a long-running server need not pay,
/// so only the commands that load large files call this. Nothing happens elsewhere than on Linux, when the system
/// setting is <c>never</c>, or with <c>CAIRN_HUGE_PAGES=0</c>.
/// </remarks>
public static class TransparentHugePages
{
    private const int MadvHugePage = 14;

    /// <summary>Reservations at least this large are taken for the GC heap's (it reserves far more than this).</summary>
    private const ulong MinReservation = 256UL << 20;

    /// <summary>
    /// Advises every large anonymous reservation of this process (the GC heap's) for huge pages; returns the bytes
    /// advised (0 when nothing was done).
    /// </summary>
    public static ulong AdviseGcHeap()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("CAIRN_HUGE_PAGES") == "0" || Mode() is "never" or null)
        {
            return 0;
        }

        ulong advised = 0;
        try
        {
            foreach (var (lo, hi) in Reservations())
            {
                if (madvise((nint)lo, (nuint)(hi - lo), MadvHugePage) == 0)
                {
                    advised += hi - lo;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            // An advice, not a requirement: without it the process is only slower.
        }

        return advised;
    }

    /// <summary>The system's setting: <c>always</c>, <c>madvise</c> or <c>never</c>; null where it cannot be read.</summary>
    public static string? Mode()
    {
        try
        {
            var text = File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled");
            var open = text.IndexOf('[', StringComparison.Ordinal);
            var close = text.IndexOf(']', StringComparison.Ordinal);
            return open >= 0 && close > open ? text[(open + 1)..close] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Anonymous, inaccessible (reserved, not yet committed) mappings of at least 256 MiB, from /proc/self/maps.</summary>
    public static IEnumerable<(ulong Lo, ulong Hi)> Reservations()
    {
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            // "lo-hi perms offset dev inode [path]": an anonymous mapping has inode 0 and no path.
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 5 || parts[1] != "---p" || parts[4] != "0")
            {
                continue;
            }

            var dash = parts[0].IndexOf('-', StringComparison.Ordinal);
            if (ulong.TryParse(parts[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var lo)
                && ulong.TryParse(parts[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hi)
                && hi - lo >= MinReservation)
            {
                yield return (lo, hi);
            }
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int madvise(nint address, nuint length, int advice);
}
