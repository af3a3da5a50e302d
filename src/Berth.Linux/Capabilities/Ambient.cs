using static Berth.Linux.Capabilities.CapabilityInterop;

namespace Berth.Linux.Capabilities;

/// <summary>
/// The ambient set of the CALLING THREAD (Linux 4.3+): capabilities a non-root program keeps across execve.
/// A capability can be raised only when it is in both the permitted and the inheritable set.
/// </summary>
public static class Ambient
{
    /// <summary>Makes the ambient set exactly <paramref name="capabilities"/>: clears it, then raises each one.</summary>
    public static void Set(CapabilitySet capabilities)
    {
        Clear();
        foreach (var capability in capabilities.Capabilities()) Raise(capability);
    }

    public static void Clear()
    {
        if (Prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL) == -1)
            throw LinuxException.FromLastError("prctl(PR_CAP_AMBIENT_CLEAR_ALL)", "thread");
    }

    public static void Raise(Capability capability)
    {
        if (Prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (nuint)(uint)capability) == -1)
            throw LinuxException.FromLastError("prctl(PR_CAP_AMBIENT_RAISE)", CapabilityNames.Name(capability));
    }

    public static bool Contains(Capability capability)
    {
        var rc = Prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, (nuint)(uint)capability);
        return rc == -1 ? throw LinuxException.FromLastError("prctl(PR_CAP_AMBIENT_IS_SET)", CapabilityNames.Name(capability)) : rc == 1;
    }
}
