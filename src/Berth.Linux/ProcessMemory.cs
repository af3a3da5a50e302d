using System.Globalization;
using System.Runtime.InteropServices;

namespace Berth.Linux;

/// <summary>The calling process's own mappings.</summary>
public static unsafe partial class ProcessMemory
{
    private const int MadvDontNeed = 4;

    /// <summary>
    /// Unmaps the resident pages of read-only file mappings (code and constants of the binary and its libraries) that
    /// hold no private copy: they stay in the page cache and fault back in when touched. A long-lived process that ran
    /// much code once at startup (a shim's create) then keeps only its steady working set resident. Mappings with any
    /// anonymous or dirty page (relocated data, RELRO) are left alone: dropping those would lose their content.
    /// Returns the kB released.
    /// </summary>
    public static long ReleaseCleanFilePages()
    {
        var ranges = new List<(nint Start, nuint Length, long Rss)>();
        nint start = 0, end = 0;
        var candidate = false;
        long rss = 0, anonymous = 0, dirty = 0;
        void Close()
        {
            if (candidate && rss > 0 && anonymous == 0 && dirty == 0) ranges.Add((start, (nuint)(end - start), rss));
        }
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (IsHeader(line))
            {
                Close();
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                var range = fields[0].Split('-');
                start = (nint)long.Parse(range[0], NumberStyles.HexNumber);
                end = (nint)long.Parse(range[1], NumberStyles.HexNumber);
                candidate = fields.Length == 6 && fields[5].TrimStart().StartsWith('/') && !fields[1].Contains('w');
                rss = anonymous = dirty = 0;
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal)) rss = Kb(line);
            else if (line.StartsWith("Anonymous:", StringComparison.Ordinal)) anonymous = Kb(line);
            else if (line.StartsWith("Private_Dirty:", StringComparison.Ordinal) || line.StartsWith("Shared_Dirty:", StringComparison.Ordinal)) dirty += Kb(line);
        }
        Close();
        // All at the end, in one tight loop: code run after a drop faults back in (with the kernel's fault-around, 64 KiB a time).
        long released = 0;
        foreach (var (address, length, kb) in ranges)
            if (madvise(address, length, MadvDontNeed) == 0) released += kb;
        return released;
    }

    /// <summary>"7f0000-7f1000 r-xp 00000000 08:01 1234 /usr/lib/x.so" starts a mapping; "Rss: 4 kB" is one of its fields.</summary>
    private static bool IsHeader(string line)
    {
        var space = line.IndexOf(' ');
        return space > 0 && line[space - 1] != ':' && line.AsSpan(0, space).IndexOf('-') > 0;
    }

    private static long Kb(string line)
    {
        var value = line.AsSpan(line.IndexOf(':') + 1).Trim();
        return long.Parse(value[..value.IndexOf(' ')], CultureInfo.InvariantCulture);
    }

    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int madvise(nint address, nuint length, int advice);
}
