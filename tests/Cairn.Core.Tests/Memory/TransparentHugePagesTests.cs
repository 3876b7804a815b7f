using System.Globalization;
using Cairn.Core.Memory;

namespace Cairn.Core.Tests.Memory;

public sealed class TransparentHugePagesTests
{
    [Fact]
    public void The_gc_heap_reservation_is_advised_for_huge_pages_where_the_system_leaves_it_to_the_process()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Equal(0UL, TransparentHugePages.AdviseGcHeap());
            return;
        }

        var mode = TransparentHugePages.Mode();
        Assert.Contains(mode, new[] { "always", "madvise", "never" });
        var reservations = TransparentHugePages.Reservations().ToList();
        Assert.NotEmpty(reservations); // the GC reserves its heap's address range up front

        var advised = TransparentHugePages.AdviseGcHeap();
        if (mode == "never")
        {
            Assert.Equal(0UL, advised);
            return;
        }

        // At least the largest range (the GC's); the GC may commit parts of the others between listing and advising.
        Assert.True(advised >= reservations.Max(r => r.Hi - r.Lo), $"advised {advised} bytes");

        // The kernel records the advice on each range: "hg" in its VmFlags (kept where the GC since committed a part).
        // Looked up at the range's last page: the GC commits from the front.
        var (_, hi) = reservations.MaxBy(r => r.Hi - r.Lo);
        var at = VmFlags().Where(m => m.Lo <= hi - 1 && hi - 1 < m.Hi).ToList();
        Assert.True(at.Count == 1, $"no mapping holds {hi - 1:x} in /proc/self/smaps");
        Assert.Contains("hg", at[0].Flags.Split(' '));
    }

    // Every mapping in /proc/self/smaps with its VmFlags.
    private static List<(ulong Lo, ulong Hi, string Flags)> VmFlags()
    {
        var result = new List<(ulong, ulong, string)>();
        ulong lo = 0, hi = 0;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash
                && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var l)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var h))
            {
                (lo, hi) = (l, h);
            }
            else if (line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                result.Add((lo, hi, line["VmFlags:".Length..].Trim()));
            }
        }

        return result;
    }
}
