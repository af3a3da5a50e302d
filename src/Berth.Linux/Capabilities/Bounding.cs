using static Berth.Linux.Capabilities.CapabilityInterop;

namespace Berth.Linux.Capabilities;

/// <summary>The capability bounding set of the CALLING THREAD (PR_CAPBSET_READ/PR_CAPBSET_DROP).</summary>
public static class Bounding
{
    /// <summary>Whether <paramref name="capability"/> is in the bounding set; false for one the kernel does not know.</summary>
    public static bool Contains(Capability capability)
    {
        var rc = Prctl(PR_CAPBSET_READ, (nuint)(uint)capability);
        if (rc >= 0) return rc == 1;
        var error = LinuxException.FromLastError("prctl(PR_CAPBSET_READ)", CapabilityNames.Name(capability));
        return error.Errno == Errno.EINVAL ? false : throw error;
    }

    /// <summary>The bounding set, read bit by bit up to <paramref name="lastCap"/> (default: the kernel's).</summary>
    public static CapabilitySet Read(int? lastCap = null)
    {
        var set = CapabilitySet.Empty;
        var last = lastCap ?? KernelCapabilities.LastCap();
        for (var cap = 0; cap <= last && cap < 64; cap++)
        {
            if (Contains((Capability)cap)) set = set.With((Capability)cap);
        }
        return set;
    }

    /// <summary>
    /// Drops from the bounding set every capability up to the kernel's last one that <paramref name="keep"/> lacks.
    /// Irreversible for this thread and whatever it execs. Needs CAP_SETPCAP when there is something to drop.
    /// </summary>
    public static void Drop(CapabilitySet keep, int? lastCap = null)
    {
        var last = lastCap ?? KernelCapabilities.LastCap();
        var present = Read(last);
        foreach (var capability in present.Except(keep).Capabilities()) Drop(capability);
    }

    /// <summary>Drops one capability; one the kernel does not know (EINVAL) is already absent.</summary>
    public static void Drop(Capability capability)
    {
        if (Prctl(PR_CAPBSET_DROP, (nuint)(uint)capability) == 0) return;
        var error = LinuxException.FromLastError("prctl(PR_CAPBSET_DROP)", CapabilityNames.Name(capability));
        if (error.Errno != Errno.EINVAL) throw error;
    }
}
