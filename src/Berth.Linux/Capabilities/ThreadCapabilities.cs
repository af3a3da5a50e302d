using static Berth.Linux.Capabilities.CapabilityInterop;

namespace Berth.Linux.Capabilities;

/// <summary>The effective, permitted and inheritable sets of one thread.</summary>
public readonly record struct CapabilityState(CapabilitySet Effective, CapabilitySet Permitted, CapabilitySet Inheritable);

/// <summary>
/// capget/capset on the CALLING THREAD only (Linux credentials are per thread; nothing here reaches the
/// process's other threads). Run it on the thread that will execve, synchronously: an await may resume elsewhere.
/// </summary>
public static class ThreadCapabilities
{
    public static unsafe CapabilityState Get()
    {
        var header = new Header { Version = Version3 };
        var data = stackalloc Data[2];
        if (CapGet(&header, data) == -1) throw LinuxException.FromLastError("capget", "thread");
        return new CapabilityState(
            Join(data[0].Effective, data[1].Effective),
            Join(data[0].Permitted, data[1].Permitted),
            Join(data[0].Inheritable, data[1].Inheritable));
    }

    /// <summary>
    /// Replaces the three sets. The kernel refuses (EPERM) a permitted set that is not a subset of the current one,
    /// an effective set that is not a subset of the new permitted one, and inheritable bits outside the bounding set
    /// unless the thread has CAP_SETPCAP.
    /// </summary>
    public static unsafe void Set(CapabilitySet effective, CapabilitySet permitted, CapabilitySet inheritable)
    {
        var header = new Header { Version = Version3 };
        var data = stackalloc Data[2];
        data[0] = new Data { Effective = Low(effective), Permitted = Low(permitted), Inheritable = Low(inheritable) };
        data[1] = new Data { Effective = High(effective), Permitted = High(permitted), Inheritable = High(inheritable) };
        if (CapSet(&header, data) == -1)
            throw LinuxException.FromLastError("capset", $"effective={effective} permitted={permitted} inheritable={inheritable}");
    }

    public static void Set(CapabilityState state) => Set(state.Effective, state.Permitted, state.Inheritable);

    private static CapabilitySet Join(uint low, uint high) => new(((ulong)high << 32) | low);

    private static uint Low(CapabilitySet set) => (uint)set.Mask;

    private static uint High(CapabilitySet set) => (uint)(set.Mask >> 32);
}
