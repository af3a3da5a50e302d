using static Berth.Linux.Capabilities.CapabilityInterop;

namespace Berth.Linux.Capabilities;

/// <summary>
/// PR_SET_KEEPCAPS of the CALLING THREAD: while set, switching every uid away from 0 keeps the permitted set
/// (the effective set is still cleared). The kernel clears it on execve.
/// </summary>
public static class KeepCaps
{
    public static void Set(bool keep)
    {
        if (Prctl(PR_SET_KEEPCAPS, keep ? 1u : 0u) == -1)
            throw LinuxException.FromLastError("prctl(PR_SET_KEEPCAPS)", keep ? "1" : "0");
    }

    public static bool Get()
    {
        var rc = Prctl(PR_GET_KEEPCAPS);
        return rc == -1 ? throw LinuxException.FromLastError("prctl(PR_GET_KEEPCAPS)") : rc == 1;
    }
}
