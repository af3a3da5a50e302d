using static Berth.Linux.Capabilities.CapabilityInterop;

namespace Berth.Linux.Capabilities;

/// <summary>Which capabilities the running kernel knows.</summary>
public static class KernelCapabilities
{
    /// <summary>
    /// The highest capability number the kernel knows, from <c>&lt;procRoot&gt;/sys/kernel/cap_last_cap</c>; when that
    /// file cannot be read, probed with PR_CAPBSET_READ (EINVAL past the last one).
    /// </summary>
    public static int LastCap(string procRoot = "/proc")
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(procRoot, "sys", "kernel", "cap_last_cap")).Trim();
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var last))
                return last;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return Probe();
    }

    /// <summary>Every capability the kernel knows.</summary>
    public static CapabilitySet Supported(string procRoot = "/proc") => CapabilitySet.UpTo(LastCap(procRoot));

    private static int Probe()
    {
        var cap = 0;
        while (cap < 63 && Prctl(PR_CAPBSET_READ, (nuint)(cap + 1)) >= 0) cap++;
        return cap;
    }
}
